package io.github.apigatewayotel.receiver.internal;

import io.opentelemetry.api.common.Attributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 *
 * <p>In a monitoring account's listing ({@link Scope#linked}) each series belongs to the account
 * {@code OwningAccounts} names: it is joined to that account's inventory when the receiver could
 * discover it (the monitoring account's own, or a source account's through its role); a source
 * account without one gives what the dimensions say, without tags ({@link
 * SeriesAttributes#buildUndiscovered}).
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class SeriesResolver {

  /**
   * What one discovery resolved, with counts of what it dropped.
   *
   * @param undiscovered series kept without discovery (accounts the receiver has no role for)
   * @param accounts the accounts whose series the listing held
   */
  public record Result(
      List<MonitoredSeries> series,
      int unknownApi,
      int notInContract,
      int filteredOut,
      int undiscovered,
      Set<String> accounts) {}

  /**
   * Whose series one discovery resolves, and with which inventories.
   *
   * @param account the account whose CloudWatch is read (a monitoring account when {@code linked})
   * @param inventory that account's APIs
   * @param linked whether the listing includes linked source accounts' series ({@code
   *     OwningAccounts})
   * @param sources the inventories of source accounts discovered through their roles
   * @param unavailable source accounts whose series are left out of this discovery (a role that
   *     failed before any inventory of its account was loaded)
   * @param accountInKey whether series name their account in their key (a receiver of several
   *     accounts)
   */
  public record Scope(
      String account,
      ApiInventory inventory,
      boolean linked,
      Map<String, ApiInventory> sources,
      Set<String> unavailable,
      boolean accountInKey) {

    /** One account's own series. */
    public static Scope of(String account, ApiInventory inventory, boolean accountInKey) {
      return new Scope(account, inventory, false, Map.of(), Set.of(), accountInKey);
    }

    /** A monitoring account's series and its linked source accounts'. */
    public static Scope linked(
        String account,
        ApiInventory inventory,
        Map<String, ApiInventory> sources,
        Set<String> unavailable) {
      return new Scope(
          account, inventory, true, Map.copyOf(sources), Set.copyOf(unavailable), true);
    }

    String accountOf(List<String> owningAccounts, int index) {
      if (!linked || index >= owningAccounts.size() || owningAccounts.get(index) == null) {
        return account; // CloudWatch names no owner: the caller's own series
      }
      return owningAccounts.get(index);
    }

    ApiInventory inventoryOf(String owner) {
      return owner.equals(account) ? inventory : sources.get(owner);
    }
  }

  private final ApiFilter filter;
  private final SeriesAttributes attributes;
  private final MetricCatalog.Selection metrics;

  public SeriesResolver(ApiFilter filter, SeriesAttributes attributes) {
    this(filter, attributes, MetricCatalog.select(Map.of()));
  }

  /**
   * {@code metrics}: the statistics queried of each metric (the whole table, or a choice of it).
   */
  public SeriesResolver(
      ApiFilter filter, SeriesAttributes attributes, MetricCatalog.Selection metrics) {
    this.filter = filter;
    this.attributes = attributes;
    this.metrics = metrics;
  }

  public Session start(String region, Scope scope) {
    return new Session(region, scope);
  }

  /** One discovery's resolution, fed page by page. */
  public final class Session {
    private final String region;
    private final Scope scope;
    private final List<MonitoredSeries> out = new ArrayList<>();

    /** By account and dimensions. */
    private final Map<String, Level> levels = new HashMap<>();

    private final Map<String, String> metricNames = new HashMap<>();
    private final Set<String> accounts = new HashSet<>();
    private final ListedApiTypes listedTypes = new ListedApiTypes();

    /** Undiscovered series whose API type no series had told yet; resolved at the end. */
    private final List<Map.Entry<String, Metric>> untyped = new ArrayList<>();

    private int unknown;
    private int notInContract;
    private int filtered;
    private int undiscovered;

    /**
     * What all series of one dimension set share; {@code type} is null when no known API matches.
     */
    private record Level(
        boolean accepted,
        String key,
        List<Dimension> dimensions,
        Attributes attributes,
        ApiType type) {}

    private Session(String region, Scope scope) {
      this.region = region;
      this.scope = scope;
    }

    /**
     * A page; {@code owningAccounts} parallel to it in a monitoring account's listing, else empty.
     */
    public void accept(List<Metric> page, List<String> owningAccounts) {
      for (int i = 0; i < page.size(); i++) {
        Metric metric = page.get(i);
        String owner = scope.accountOf(owningAccounts, i);
        accounts.add(owner);
        if (scope.unavailable().contains(owner)) {
          unknown++; // its role failed: listed again as new once it works, and read back then
          continue;
        }
        ApiInventory inventory = scope.inventoryOf(owner);
        Map<String, String> dims = dimensions(metric);
        if (inventory == null) {
          acceptUndiscovered(owner, metric, dims);
          continue;
        }
        String levelKey = owner + "\n" + dims;
        Level level = levels.get(levelKey);
        if (level == null) {
          level = level(owner, inventory, dims);
          levels.put(levelKey, level);
        }
        if (level.type() == null) {
          unknown++; // deleted, or created since the inventory was loaded
          continue;
        }
        add(owner, metric, level, level.type());
      }
    }

    private void acceptUndiscovered(String owner, Metric metric, Map<String, String> dims) {
      ApiType type = listedTypes.typeOf(owner, metric.metricName(), dims);
      if (type == null && dims.containsKey("ApiId")) {
        untyped.add(Map.entry(owner, metric)); // a sibling series may tell its type later
        return;
      }
      addUndiscovered(owner, metric, dims, type);
    }

    private void addUndiscovered(
        String owner, Metric metric, Map<String, String> dims, ApiType type) {
      String nameOrId = dims.containsKey("ApiName") ? dims.get("ApiName") : dims.get("ApiId");
      if (nameOrId == null) {
        unknown++;
        return;
      }
      String levelKey = owner + "\n" + dims;
      Level level = levels.get(levelKey);
      if (level == null) {
        boolean accepted = filter.acceptsDimensions(dims) && filter.acceptsUndiscovered(nameOrId);
        level =
            accepted
                ? new Level(
                    true,
                    dims.toString(),
                    dimensionList(dims),
                    attributes.buildUndiscovered(owner, region, type, dims),
                    type)
                : new Level(false, dims.toString(), List.of(), Attributes.empty(), type);
        levels.put(levelKey, level);
      }
      // only IntegrationLatency leaves an HTTP or WebSocket API untyped: its statistics are the
      // same for both
      if (add(owner, metric, level, type == null ? ApiType.HTTP : type)) {
        undiscovered++;
      }
    }

    /**
     * Adds the series if its metric is in the contract and the filter accepts it; whether it was
     * added.
     */
    private boolean add(String owner, Metric metric, Level level, ApiType catalogType) {
      List<MetricDescriptor> descriptors = metrics.descriptors(catalogType, metric.metricName());
      if (descriptors.isEmpty()) {
        notInContract++;
        return false;
      }
      if (!level.accepted()) {
        filtered++;
        return false;
      }
      String name = metricNames.computeIfAbsent(metric.metricName(), n -> n);
      out.add(
          new MonitoredSeries(
              region,
              name,
              level.dimensions(),
              level.key(),
              level.attributes(),
              descriptors,
              scope.accountInKey() ? owner : null));
      return true;
    }

    private Level level(String owner, ApiInventory inventory, Map<String, String> dims) {
      String dimsKey = dims.toString();
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
      Attributes built =
          apis.size() == 1
              ? attributes.build(owner, region, apis.get(0), dims, commonTags)
              : attributes.buildShared(owner, region, dims.get("ApiName"), dims, commonTags);
      return new Level(true, dimsKey, dimensionList(dims), built, type);
    }

    public Result result() {
      for (Map.Entry<String, Metric> entry : untyped) {
        Map<String, String> dims = dimensions(entry.getValue());
        addUndiscovered(
            entry.getKey(),
            entry.getValue(),
            dims,
            listedTypes.known(entry.getKey(), dims.get("ApiId")));
      }
      untyped.clear();
      return new Result(
          List.copyOf(out), unknown, notInContract, filtered, undiscovered, Set.copyOf(accounts));
    }
  }

  private static Map<String, String> dimensions(Metric metric) {
    Map<String, String> dims = new TreeMap<>();
    for (Dimension d : metric.dimensions()) {
      dims.put(d.name(), d.value());
    }
    return dims;
  }

  private static List<Dimension> dimensionList(Map<String, String> dims) {
    List<Dimension> dimensions = new ArrayList<>(dims.size());
    dims.forEach((k, v) -> dimensions.add(Dimension.builder().name(k).value(v).build()));
    return List.copyOf(dimensions);
  }

  /**
   * The APIs whose traffic the series counts: none (unknown), one, or REST APIs sharing its
   * ApiName.
   */
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
    a.forEach(
        (key, value) -> {
          if (value.equals(b.get(key))) {
            same.put(key, value);
          }
        });
    return same;
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
    merged.putAll(stageTags); // the stage's tag wins over the API's
    return merged;
  }
}
