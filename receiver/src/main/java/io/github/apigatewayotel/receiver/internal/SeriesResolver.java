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
 *
 * <p>A REST {@code ApiName} several APIs share is one CloudWatch series holding all their traffic:
 * it is kept when the filter accepts any of them (else an accepted API's traffic would vanish), and
 * carries only what they have in common (see {@link SeriesAttributes#buildShared}).
 */
public final class SeriesResolver {

  /** What one discovery resolved, with counts of what it dropped. */
  public record Result(List<MonitoredSeries> series, int unknownApi, int notInContract, int filteredOut) {}

  private final ApiFilter filter;
  private final SeriesAttributes attributes;
  private final MetricCatalog.Selection metrics;

  public SeriesResolver(ApiFilter filter, SeriesAttributes attributes) {
    this(filter, attributes, MetricCatalog.select(Map.of()));
  }

  /** {@code metrics}: the statistics queried of each metric (the whole table, or a choice of it). */
  public SeriesResolver(ApiFilter filter, SeriesAttributes attributes, MetricCatalog.Selection metrics) {
    this.filter = filter;
    this.attributes = attributes;
    this.metrics = metrics;
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

    /** What all series of one dimension set share; {@code type} is null when no known API matches. */
    private record Level(boolean accepted, String key, List<Dimension> dimensions, Attributes attributes, ApiType type) {}

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
        if (level.type() == null) {
          unknown++; // deleted, or created since the inventory was loaded
          continue;
        }
        List<MetricDescriptor> descriptors = metrics.descriptors(level.type(), metric.metricName());
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
      List<DiscoveredApi> apis = apisOf(dims, inventory);
      if (apis.isEmpty()) {
        return new Level(false, dimsKey, List.of(), Attributes.empty(), null);
      }
      ApiType type = apis.get(0).type();
      if (!filter.acceptsDimensions(dims)) {
        return new Level(false, dimsKey, List.of(), Attributes.empty(), type);
      }
      boolean accepted = false;
      Map<String, String> commonTags = null;
      for (DiscoveredApi api : apis) {
        Map<String, String> tags = tagsOf(api, dims.get("Stage"), inventory);
        accepted |= filter.accepts(api, tags);
        commonTags = commonTags == null ? tags : sameValues(commonTags, tags);
      }
      if (!accepted) {
        return new Level(false, dimsKey, List.of(), Attributes.empty(), type);
      }
      List<Dimension> dimensions = new ArrayList<>(dims.size());
      dims.forEach((k, v) -> dimensions.add(Dimension.builder().name(k).value(v).build()));
      Attributes built = apis.size() == 1
          ? attributes.build(region, apis.get(0), dims, commonTags)
          : attributes.buildShared(region, dims.get("ApiName"), dims, commonTags);
      return new Level(true, dimsKey, List.copyOf(dimensions), built, type);
    }

    public Result result() {
      return new Result(List.copyOf(out), unknown, notInContract, filtered);
    }
  }

  /** The APIs whose traffic the series counts: none (unknown), one, or REST APIs sharing its ApiName. */
  private static List<DiscoveredApi> apisOf(Map<String, String> dims, ApiInventory inventory) {
    String apiName = dims.get("ApiName");
    if (apiName != null) {
      return inventory.restApisByCloudWatchName(apiName);
    }
    String apiId = dims.get("ApiId");
    if (apiId != null) {
      DiscoveredApi api = inventory.apiById(apiId);
      return api != null && api.type() != ApiType.REST ? List.of(api) : List.of();
    }
    return List.of();
  }

  /** The tags of {@code a} that {@code b} has with the same value. */
  private static Map<String, String> sameValues(Map<String, String> a, Map<String, String> b) {
    Map<String, String> same = new TreeMap<>();
    a.forEach((key, value) -> {
      if (value.equals(b.get(key))) {
        same.put(key, value);
      }
    });
    return same;
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
