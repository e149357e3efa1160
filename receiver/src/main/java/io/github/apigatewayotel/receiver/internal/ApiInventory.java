package io.github.apigatewayotel.receiver.internal;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The APIs of one region, indexed the two ways CloudWatch names them: REST metrics by {@code
 * ApiName} (CloudWatch's ASCII-only name), HTTP and WebSocket metrics by {@code ApiId}. Also holds
 * stage tags by stage ARN. Immutable.
 */
public final class ApiInventory {

  private final Map<String, DiscoveredApi> restByCloudWatchName = new HashMap<>();
  private final Map<String, DiscoveredApi> byId = new HashMap<>();
  private final Map<String, Map<String, String>> stageTags;
  private final int ambiguousRestNames;

  public ApiInventory(Collection<DiscoveredApi> apis, Map<String, Map<String, String>> stageTags) {
    int ambiguous = 0;
    for (DiscoveredApi api : apis) {
      byId.put(api.id(), api);
      if (api.type() == ApiType.REST
          && restByCloudWatchName.putIfAbsent(api.cloudWatchName(), api) != null) {
        ambiguous++; // two REST APIs whose names differ only by non-ASCII characters
      }
    }
    this.stageTags = Map.copyOf(stageTags);
    this.ambiguousRestNames = ambiguous;
  }

  public static ApiInventory empty() {
    return new ApiInventory(List.of(), Map.of());
  }

  /** The REST API CloudWatch calls {@code apiName}, or null. */
  public DiscoveredApi restApiByCloudWatchName(String apiName) {
    return restByCloudWatchName.get(apiName);
  }

  /** The HTTP or WebSocket API with {@code apiId} (or a REST API by id), or null. */
  public DiscoveredApi apiById(String apiId) {
    return byId.get(apiId);
  }

  public Map<String, String> stageTags(String stageArn) {
    return stageTags.getOrDefault(stageArn, Map.of());
  }

  public int size() {
    return byId.size();
  }

  /** REST APIs whose CloudWatch names collide; their metrics are attributed to the first one. */
  public int ambiguousRestNames() {
    return ambiguousRestNames;
  }
}
