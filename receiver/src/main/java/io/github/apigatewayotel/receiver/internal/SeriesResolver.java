package io.github.apigatewayotel.receiver.internal;

import io.opentelemetry.api.common.Attributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.Metric;

/**
 * Turns ListMetrics' series into {@link MonitoredSeries}, a page at a time: joins each to its API
 * (REST by {@code ApiName}, HTTP and WebSocket by {@code ApiId}), keeps only metrics of the
 * contract and APIs the filter accepts, and builds attributes, dimension lists and metric names
 * once per distinct value so a large account costs tens of bytes per series.
 */
public final class SeriesResolver {

  /** What one discovery resolved, with counts of what it dropped. */
  public record Result(List<MonitoredSeries> series, int unknownApi, int notInContract, int filteredOut) {}

  private final ApiFilter filter;
  private final SeriesAttributes attributes;

  public SeriesResolver(ApiFilter filter, SeriesAttributes attributes) {
    this.filter = filter;
    this.attributes = attributes;
  }

  /** Resolves a whole list at once. */
  public Result resolve(String region, List<Metric> metrics, ApiInventory inventory) {
    Session session = start(region, inventory);
    session.accept(metrics);
    return session.result();
  }

  public Session start(String region, ApiInventory inventory) {
    return new Session(region, inventory);
  }

  /** One discovery's resolution, fed page by page. */
  public final class Session {
    private final String region;
    private final ApiInventory inventory;
    private final List<MonitoredSeries> out = new ArrayList<>();
    private final Map<String, Level> levels = new HashMap<>();
    private final Map<String, String> metricNames = new HashMap<>();
    private int unknown;
    private int notInContract;
    private int filtered;

    /** What all series of one dimension set share. */
    private record Level(boolean accepted, String key, List<Dimension> dimensions, Attributes attributes, DiscoveredApi api) {}

    private Session(String region, ApiInventory inventory) {
      this.region = region;
      this.inventory = inventory;
    }

    public void accept(List<Metric> page) {
      for (Metric metric : page) {
        Map<String, String> dims = new TreeMap<>();
        for (Dimension d : metric.dimensions()) {
          dims.put(d.name(), d.value());
        }
        String dimsKey = dims.toString();
        Level level = levels.get(dimsKey);
        if (level == null) {
          level = level(dims, dimsKey);
          levels.put(dimsKey, level);
        }
        if (level.api() == null) {
          unknown++; // deleted, or created since the inventory was loaded
          continue;
        }
        List<MetricDescriptor> descriptors = MetricCatalog.descriptors(level.api().type(), metric.metricName());
        if (descriptors.isEmpty()) {
          notInContract++;
          continue;
        }
        if (!level.accepted()) {
          filtered++;
          continue;
        }
        String name = metricNames.computeIfAbsent(metric.metricName(), n -> n);
        out.add(new MonitoredSeries(region, name, level.dimensions(), level.key(), level.attributes(), descriptors));
      }
    }

    private Level level(Map<String, String> dims, String dimsKey) {
      DiscoveredApi api = apiOf(dims, inventory);
      if (api == null) {
        return new Level(false, dimsKey, List.of(), Attributes.empty(), null);
      }
      Map<String, String> tags = tagsOf(api, dims.get("Stage"), inventory);
      if (!filter.acceptsDimensions(dims) || !filter.accepts(api, tags)) {
        return new Level(false, dimsKey, List.of(), Attributes.empty(), api);
      }
      List<Dimension> dimensions = new ArrayList<>(dims.size());
      dims.forEach((k, v) -> dimensions.add(Dimension.builder().name(k).value(v).build()));
      return new Level(true, dimsKey, List.copyOf(dimensions), attributes.build(region, api, dims, tags), api);
    }

    public Result result() {
      return new Result(List.copyOf(out), unknown, notInContract, filtered);
    }
  }

  private static DiscoveredApi apiOf(Map<String, String> dims, ApiInventory inventory) {
    String apiName = dims.get("ApiName");
    if (apiName != null) {
      DiscoveredApi api = inventory.restApiByCloudWatchName(apiName);
      return api != null && api.type() == ApiType.REST ? api : null;
    }
    String apiId = dims.get("ApiId");
    if (apiId != null) {
      DiscoveredApi api = inventory.apiById(apiId);
      return api != null && api.type() != ApiType.REST ? api : null;
    }
    return null;
  }

  private static Map<String, String> tagsOf(DiscoveredApi api, String stage, ApiInventory inventory) {
    if (stage == null) {
      return api.tags();
    }
    Map<String, String> stageTags = inventory.stageTags(api.stageArn(stage));
    if (stageTags.isEmpty()) {
      return api.tags();
    }
    Map<String, String> merged = new TreeMap<>(api.tags());
    merged.putAll(stageTags); // the stage's tag wins over the API's
    return merged;
  }
}
