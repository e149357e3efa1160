package io.github.apigatewayotel.receiver.internal;

import io.opentelemetry.api.common.Attributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Maps one streamed CloudWatch datapoint (a Metric Stream's series, period and statistics) through
 * the same catalog and the same attributes as the polling receiver: the metric table's names, kinds
 * and units, and {@link SeriesAttributes} joined to discovery's {@link ApiInventory} the way {@link
 * SeriesResolver} joins a listed series (REST by {@code ApiName}, with the names several APIs
 * share; HTTP and WebSocket by {@code ApiId}; API tags overlaid with the stage's).
 */
public final class StreamedDatapointMapper {

  /**
   * WebSocket-only metrics: an undiscovered {@code ApiId} series of one of these is a WebSocket
   * API's.
   */
  private static final Set<String> WEBSOCKET_METRICS =
      Set.of("ClientError", "ConnectCount", "ExecutionError", "IntegrationError", "MessageCount");

  /** One OTel point of a streamed datapoint. */
  public record Mapped(MetricDescriptor descriptor, Attributes attributes, double value) {}

  private final SeriesAttributes attributes;

  /**
   * The inventory of a region, or null when discovery has none (no AWS access): dimensions only.
   */
  private final Function<String, ApiInventory> inventories;

  /** Attributes by account, region and dimensions, per inventory: series repeat every minute. */
  private final Map<ApiInventory, Map<String, Level>> levels = new ConcurrentHashMap<>();

  private record Level(ApiType type, Attributes attributes) {}

  /**
   * The key of the levels mapped without discovery (one instance: inventories compare by identity).
   */
  private static final ApiInventory NONE = ApiInventory.empty();

  public StreamedDatapointMapper(
      SeriesAttributes attributes, Function<String, ApiInventory> inventories) {
    this.attributes = attributes;
    this.inventories = inventories;
  }

  /**
   * The points of one datapoint: one per row of the table for {@code metricName} whose statistic
   * {@code statistics} holds (CloudWatch's names: {@code Sum}, {@code Average}, {@code p99}). Empty
   * when the metric is not in the table or the series names no API.
   */
  public List<Mapped> map(
      String account,
      String region,
      String metricName,
      Map<String, String> dimensions,
      Map<String, Double> statistics) {
    Map<String, String> dims = new TreeMap<>(dimensions);
    if (!dims.containsKey("ApiName") && !dims.containsKey("ApiId")) {
      return List.of();
    }
    ApiInventory inventory = inventories.apply(region);
    Level level =
        levels
            .computeIfAbsent(
                inventory == null ? NONE : inventory,
                i -> {
                  if (levels.size() > 8) {
                    levels.clear(); // old inventories: discovery refreshed
                  }
                  return new ConcurrentHashMap<>();
                })
            .computeIfAbsent(
                account + "|" + region + "|" + metricName + "|" + dims,
                k -> level(account, region, metricName, dims, inventory));
    ApiType catalogType = level.type() == null ? ApiType.HTTP : level.type();
    List<Mapped> out = new ArrayList<>();
    for (MetricDescriptor d : MetricCatalog.descriptors(catalogType, metricName)) {
      Double value = statistics.get(d.statistic());
      if (value != null && !value.isNaN()) {
        out.add(new Mapped(d, level.attributes(), value));
      }
    }
    return out;
  }

  private Level level(
      String account,
      String region,
      String metricName,
      Map<String, String> dims,
      ApiInventory inventory) {
    if (inventory != null) {
      List<DiscoveredApi> apis = apisOf(dims, inventory);
      if (apis.size() == 1) {
        DiscoveredApi api = apis.get(0);
        return new Level(
            api.type(),
            attributes.build(
                account, region, api, dims, tagsOf(api, dims.get("Stage"), inventory)));
      }
      if (apis.size() > 1) {
        Map<String, String> common = null;
        for (DiscoveredApi api : apis) {
          Map<String, String> tags = tagsOf(api, dims.get("Stage"), inventory);
          common = common == null ? tags : sameValues(common, tags);
        }
        return new Level(
            ApiType.REST,
            attributes.buildShared(account, region, dims.get("ApiName"), dims, common));
      }
    }
    // Not discovered (no AWS access, or an API created since discovery): what the dimensions say.
    ApiType type;
    if (dims.containsKey("ApiName")) {
      type = ApiType.REST;
    } else if (WEBSOCKET_METRICS.contains(metricName)) {
      type = ApiType.WEBSOCKET;
    } else if ("IntegrationLatency".equals(metricName)) {
      type = null; // HTTP and WebSocket alike, as for the receiver's undiscovered series
    } else {
      type = ApiType.HTTP;
    }
    return new Level(type, attributes.buildUndiscovered(account, region, type, dims));
  }

  private static List<DiscoveredApi> apisOf(Map<String, String> dims, ApiInventory inventory) {
    String apiName = dims.get("ApiName");
    if (apiName != null) {
      return inventory.restApisByCloudWatchName(apiName);
    }
    DiscoveredApi api = inventory.apiById(dims.get("ApiId"));
    return api != null && api.type() != ApiType.REST ? List.of(api) : List.of();
  }

  private static Map<String, String> tagsOf(
      DiscoveredApi api, String stage, ApiInventory inventory) {
    if (stage == null) {
      return api.tags();
    }
    Map<String, String> stageTags = inventory.stageTags(api.stageArn(stage));
    if (stageTags.isEmpty()) {
      return api.tags();
    }
    Map<String, String> merged = new TreeMap<>(api.tags());
    merged.putAll(stageTags); // the stage's tag wins, as in SeriesResolver
    return merged;
  }

  private static Map<String, String> sameValues(Map<String, String> a, Map<String, String> b) {
    Map<String, String> same = new TreeMap<>();
    a.forEach(
        (key, value) -> {
          if (value.equals(b.get(key))) {
            same.put(key, value);
          }
        });
    return same;
  }
}
