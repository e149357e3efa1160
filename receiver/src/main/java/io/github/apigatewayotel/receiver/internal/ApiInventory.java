package io.github.apigatewayotel.receiver.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The APIs of one region, indexed the two ways CloudWatch names them: REST metrics by {@code
 * ApiName} (CloudWatch's ASCII-only name), HTTP and WebSocket metrics by {@code ApiId}. Also holds
 * stage tags by stage ARN. Immutable.
 *
 * <p>Several REST APIs can share one {@code ApiName} (the same name, one API per environment, or
 * names equal once CloudWatch drops non-ASCII characters): CloudWatch then merges their traffic
 * into one series, which belongs to none of them alone.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class ApiInventory {

  /** REST APIs by CloudWatch name; a list of several when the name is shared. */
  private final Map<String, List<DiscoveredApi>> restByCloudWatchName = new HashMap<>();

  private final Map<String, DiscoveredApi> byId = new HashMap<>();
  private final Map<String, Map<String, String>> stageTags;

  public ApiInventory(Collection<DiscoveredApi> apis, Map<String, Map<String, String>> stageTags) {
    for (DiscoveredApi api : apis) {
      byId.put(api.id(), api);
      if (api.type() == ApiType.REST) {
        restByCloudWatchName.merge(api.cloudWatchName(), List.of(api), ApiInventory::concat);
      }
    }
    this.stageTags = Map.copyOf(stageTags);
  }

  public static ApiInventory empty() {
    return new ApiInventory(List.of(), Map.of());
  }

  /** The REST APIs CloudWatch calls {@code apiName}: none, one, or several sharing the name. */
  public List<DiscoveredApi> restApisByCloudWatchName(String apiName) {
    return restByCloudWatchName.getOrDefault(apiName, List.of());
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

  /** CloudWatch names several REST APIs share, each with the sharing APIs' ids (sorted). */
  public Map<String, List<String>> sharedRestNames() {
    Map<String, List<String>> shared = new TreeMap<>();
    restByCloudWatchName.forEach(
        (name, apis) -> {
          if (apis.size() > 1) {
            shared.put(name, apis.stream().map(DiscoveredApi::id).sorted().toList());
          }
        });
    return shared;
  }

  private static List<DiscoveredApi> concat(List<DiscoveredApi> a, List<DiscoveredApi> b) {
    List<DiscoveredApi> all = new ArrayList<>(a.size() + b.size());
    all.addAll(a);
    all.addAll(b);
    return List.copyOf(all);
  }
}
