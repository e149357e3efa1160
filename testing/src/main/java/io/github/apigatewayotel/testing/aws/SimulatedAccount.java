package io.github.apigatewayotel.testing.aws;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A simulated AWS account holding Amazon API Gateway APIs (REST, HTTP, WebSocket) with stages,
 * routes and tags, and the CloudWatch {@code AWS/ApiGateway} series they produce. Values are
 * deterministic: the same seed, series and period always give the same datapoint, so tests and the
 * demo can compute what the receiver must export. Thread-safe: tests add and delete APIs while the
 * simulators serve requests.
 */
public final class SimulatedAccount {

  /** The three API Gateway API types. */
  public enum ApiType {
    REST,
    HTTP,
    WEBSOCKET
  }

  /**
   * One API. {@code routes} are {@code "METHOD /resource"} for REST and HTTP detailed metrics, or
   * WebSocket route keys ({@code $connect}, {@code $default}, {@code sendmessage}).
   *
   * @param httpRouteDimensions for HTTP APIs: whether detailed metrics use the {@code
   *     ApiId,Stage,Route} dimension set (true) or {@code ApiId,Method,Resource,Stage} (false);
   *     real accounts show both
   */
  public record Api(
      String id,
      String name,
      ApiType type,
      String region,
      List<String> stages,
      List<String> routes,
      Map<String, String> tags,
      Map<String, Map<String, String>> stageTags,
      boolean detailedMetrics,
      boolean httpRouteDimensions,
      Instant createdDate,
      Map<String, AccessLogSettings> accessLogSettings) {

    /** An API whose stages do not log access (no {@code accessLogSettings}). */
    public Api(
        String id,
        String name,
        ApiType type,
        String region,
        List<String> stages,
        List<String> routes,
        Map<String, String> tags,
        Map<String, Map<String, String>> stageTags,
        boolean detailedMetrics,
        boolean httpRouteDimensions,
        Instant createdDate) {
      this(
          id,
          name,
          type,
          region,
          stages,
          routes,
          tags,
          stageTags,
          detailedMetrics,
          httpRouteDimensions,
          createdDate,
          Map.of());
    }

    public Api {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(region, "region");
      stages = List.copyOf(stages);
      routes = List.copyOf(routes);
      tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
      Map<String, Map<String, String>> copy = new LinkedHashMap<>();
      stageTags.forEach((k, v) -> copy.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
      stageTags = Collections.unmodifiableMap(copy);
      accessLogSettings = Collections.unmodifiableMap(new LinkedHashMap<>(accessLogSettings));
      for (String stage : accessLogSettings.keySet()) {
        if (!stages.contains(stage)) {
          throw new IllegalArgumentException("access-log settings for unknown stage " + stage);
        }
      }
    }

    /** This API with {@code stage} logging access as {@code settings}. */
    public Api withAccessLogSettings(String stage, AccessLogSettings settings) {
      Map<String, AccessLogSettings> copy = new LinkedHashMap<>(accessLogSettings);
      copy.put(stage, Objects.requireNonNull(settings, "settings"));
      return new Api(
          id,
          name,
          type,
          region,
          stages,
          routes,
          tags,
          stageTags,
          detailedMetrics,
          httpRouteDimensions,
          createdDate,
          copy);
    }

    /** The stage's access-log settings, or null when the stage does not log access. */
    public AccessLogSettings accessLogSettings(String stage) {
      return accessLogSettings.get(stage);
    }

    /** The stage's access-log format as typed into API Gateway, or null without logging. */
    public String accessLogFormat(String stage) {
      AccessLogSettings settings = accessLogSettings.get(stage);
      return settings == null ? null : settings.format();
    }

    /**
     * The CloudWatch Logs group the stage writes its access log to, or null when it does not log
     * access or logs to Kinesis Data Firehose.
     */
    public String accessLogGroup(String stage) {
      AccessLogSettings settings = accessLogSettings.get(stage);
      return settings == null ? null : settings.logGroupName();
    }

    /** The name CloudWatch uses in the {@code ApiName} dimension of REST metrics. */
    public String cloudWatchName() {
      return SimulatedAccount.cloudWatchApiName(name, id);
    }

    /** The API's ARN as the tagging API and API Gateway write it. */
    public String arn() {
      return "arn:aws:apigateway:"
          + region
          + "::"
          + (type == ApiType.REST ? "/restapis/" : "/apis/")
          + id;
    }

    public String stageArn(String stage) {
      return arn() + "/stages/" + stage;
    }
  }

  /**
   * One CloudWatch series: a metric name and its dimensions (sorted by name, as AWS lists them).
   */
  public record Series(
      String region, String apiId, String metricName, Map<String, String> dimensions) {
    public Series {
      dimensions = Collections.unmodifiableMap(new TreeMap<>(dimensions));
    }
  }

  /** CloudWatch metrics each API type publishes, per AWS's API Gateway documentation. */
  public static final List<String> REST_METRICS =
      List.of(
          "4XXError",
          "5XXError",
          "CacheHitCount",
          "CacheMissCount",
          "Count",
          "IntegrationLatency",
          "Latency");

  public static final List<String> HTTP_METRICS =
      List.of("4xx", "5xx", "Count", "DataProcessed", "IntegrationLatency", "Latency");

  public static final List<String> WEBSOCKET_METRICS =
      List.of(
          "ClientError",
          "ConnectCount",
          "ExecutionError",
          "IntegrationError",
          "IntegrationLatency",
          "MessageCount");

  private final String accountId;
  private final TrafficShape traffic;
  private final Map<String, Api> apis = new ConcurrentHashMap<>();

  /** APIs deleted while their series still exist: CloudWatch keeps listing them for two weeks. */
  private final Map<String, Api> deletedApis = new ConcurrentHashMap<>();

  /**
   * Live REST API ids (sorted) by region + CloudWatch name, to resolve the ApiName dimension of a
   * query; several when APIs share the name, and CloudWatch then merges their traffic.
   */
  private final Map<String, List<String>> restApiIds = new ConcurrentHashMap<>();

  /** Series lists per region, rebuilt only when APIs change (ListMetrics pages read them often). */
  private final Map<String, List<Series>> seriesCache = new ConcurrentHashMap<>();

  private volatile Supplier<Instant> clock = Instant::now;
  private volatile boolean listDeletedSeries = true;

  /** Periods starting before this hold no data; null: CloudWatch's whole retention. */
  private volatile Instant dataSince;

  /** How long after its API's creation a series first appears in ListMetrics; null: at once. */
  private volatile Duration listingLag;

  /** APIs that API Gateway's listings leave out for now, while they keep serving traffic. */
  private volatile Set<String> unlistedApis = Set.of();

  /** When each API serves traffic (idle spells, deletion): what RecentlyActive listings follow. */
  private final ApiActivity activity = new ApiActivity();

  /** How long after its data a series shows in a RecentlyActive listing again; zero: at once. */
  private volatile Duration recentlyActiveLag = Duration.ZERO;

  public SimulatedAccount(String accountId, long seed) {
    if (!accountId.matches("\\d{12}")) {
      throw new IllegalArgumentException("accountId must be 12 digits: " + accountId);
    }
    this.accountId = accountId;
    this.traffic = new TrafficShape(seed);
  }

  /**
   * A realistic account in {@code region}: REST, HTTP and WebSocket APIs (one with a name that is
   * all non-ASCII, one mixing scripts), several stages including {@code $default}, detailed metrics
   * on most stages, and tags on APIs and stages. Stages log access in several formats (the seed's
   * JSON, AWS's CLF, CSV and XML examples, HTTP and WebSocket JSON) to groups named {@code
   * api-gateway-<api name or id>-<stage>}; {@code inventory-http} does not log access and stage
   * {@code v1} of {@code 決済} logs to Kinesis Data Firehose.
   */
  public static SimulatedAccount demo(String accountId, String region, long seed) {
    SimulatedAccount account = new SimulatedAccount(accountId, seed);
    account.addApi(
        new Api(
                "a1b2c3d4e5",
                "pets-api",
                ApiType.REST,
                region,
                List.of("prod", "staging"),
                List.of("GET /pets", "POST /pets", "GET /pets/{petId}"),
                Map.of("team", "pets", "env", "prod"),
                Map.of(
                    "prod",
                    Map.of("env", "prod", "tier", "gold"),
                    "staging",
                    Map.of("env", "staging")),
                true,
                false,
                Instant.parse("2024-03-01T10:00:00Z"))
            .withAccessLogSettings(
                "prod",
                AccessLogSettings.toLogGroup(
                    region, accountId, "api-gateway-pets-api-prod", AccessLogFormats.SEED_JSON))
            .withAccessLogSettings(
                "staging",
                AccessLogSettings.toLogGroupArn(
                    AccessLogSettings.logGroupArn(region, accountId, "api-gateway-pets-api-staging")
                        + ":*",
                    AccessLogFormats.CLF)));
    account.addApi(
        new Api(
                "k9x8w7v6u5",
                "주문-API",
                ApiType.REST,
                region,
                List.of("prod"),
                List.of("GET /orders", "POST /orders"),
                Map.of("team", "orders"),
                Map.of(),
                true,
                false,
                Instant.parse("2024-05-11T08:30:00Z"))
            // Log group names allow only [.-_/#A-Za-z0-9]: a Korean API name gives way to the id.
            .withAccessLogSettings(
                "prod",
                AccessLogSettings.toLogGroup(
                    region, accountId, "api-gateway-k9x8w7v6u5-prod", AccessLogFormats.XML)));
    // Kinesis Data Firehose is a REST-only destination (HTTP and WebSocket APIs log to CloudWatch
    // Logs only); the stream's name must start with amazon-apigateway-.
    account.addApi(
        new Api(
                "z0y1x2w3v4",
                "決済",
                ApiType.REST,
                region,
                List.of("v1"),
                List.of("POST /charge"),
                Map.of("team", "payments"),
                Map.of(),
                true,
                false,
                Instant.parse("2024-06-20T12:00:00Z"))
            .withAccessLogSettings(
                "v1",
                AccessLogSettings.toFirehose(
                    region, accountId, "amazon-apigateway-payments", AccessLogFormats.SEED_JSON)));
    account.addApi(
        new Api(
                "h7t7p7a7p7",
                "checkout-http",
                ApiType.HTTP,
                region,
                List.of("$default", "beta"),
                List.of("GET /cart", "POST /checkout", "ANY /{proxy+}"),
                Map.of("team", "checkout"),
                Map.of("$default", Map.of("env", "prod")),
                true,
                true,
                Instant.parse("2024-07-02T09:15:00Z"))
            .withAccessLogSettings(
                "$default",
                AccessLogSettings.toLogGroup(
                    region,
                    accountId,
                    "api-gateway-checkout-http-default",
                    AccessLogFormats.HTTP_JSON))
            .withAccessLogSettings(
                "beta",
                AccessLogSettings.toLogGroup(
                    region, accountId, "api-gateway-checkout-http-beta", AccessLogFormats.CSV)));
    account.addApi(
        new Api(
            "q1w2e3r4t5",
            "inventory-http",
            ApiType.HTTP,
            region,
            List.of("$default"),
            List.of("GET /items", "PUT /items/{id}"),
            Map.of("team", "inventory"),
            Map.of(),
            true,
            false,
            Instant.parse("2024-08-15T16:45:00Z"))); // does not log access
    account.addApi(
        new Api(
                "w5s5k5t5c5",
                "chat-ws",
                ApiType.WEBSOCKET,
                region,
                List.of("production", "dev"),
                List.of("$connect", "$disconnect", "$default", "sendmessage"),
                Map.of("team", "chat"),
                Map.of("production", Map.of("env", "prod")),
                true,
                false,
                Instant.parse("2024-09-09T07:00:00Z"))
            .withAccessLogSettings(
                "production",
                AccessLogSettings.toLogGroup(
                    region,
                    accountId,
                    "api-gateway-chat-ws-production",
                    AccessLogFormats.WEBSOCKET_JSON))
            .withAccessLogSettings(
                "dev",
                AccessLogSettings.toLogGroup(
                    region, accountId, "api-gateway-chat-ws-dev", AccessLogFormats.CLF)));
    return account;
  }

  /**
   * Adds {@code count} generated APIs to {@code region}, cycling REST, HTTP and WebSocket, each
   * with {@code stagesPerApi} stages (the first HTTP stage is {@code $default}) and {@code
   * routesPerApi} routes with detailed metrics, tagged; for scale tests and the demo.
   */
  public SimulatedAccount addGeneratedApis(
      String region, int count, int stagesPerApi, int routesPerApi) {
    String[] stageNames = {"prod", "staging", "dev", "test", "canary"};
    String[] methods = {"GET", "POST", "PUT", "DELETE"};
    for (int i = 0; i < count; i++) {
      ApiType type = ApiType.values()[i % 3];
      List<String> stages = new ArrayList<>();
      for (int s = 0; s < stagesPerApi; s++) {
        stages.add(
            type == ApiType.HTTP && s == 0
                ? "$default"
                : stageNames[s % stageNames.length] + (s < stageNames.length ? "" : s));
      }
      List<String> routes = new ArrayList<>();
      for (int r = 0; r < routesPerApi; r++) {
        routes.add(
            type == ApiType.WEBSOCKET
                ? (r == 0 ? "$connect" : r == 1 ? "$default" : "action" + r)
                : methods[r % methods.length] + " /resource" + r);
      }
      String id = String.format("g%09d", i);
      Map<String, Map<String, String>> stageTags = Map.of(stages.get(0), Map.of("env", "prod"));
      addApi(
          new Api(
              id,
              "generated-" + type.name().toLowerCase() + "-" + i,
              type,
              region,
              stages,
              routes,
              Map.of("team", "team" + (i % 17), "cost-center", "cc" + (i % 5)),
              stageTags,
              true,
              i % 2 == 0,
              Instant.parse("2025-01-01T00:00:00Z").plusSeconds(i)));
    }
    return this;
  }

  public String accountId() {
    return accountId;
  }

  /** The simulated "now": CloudWatch returns only periods that ended by then. */
  public Instant now() {
    return clock.get();
  }

  public void setClock(Supplier<Instant> clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public SimulatedAccount addApi(Api api) {
    apis.put(api.id(), api);
    deletedApis.remove(api.id());
    activity.restored(api.id());
    if (api.type() == ApiType.REST) {
      restApiIds.compute(
          api.region() + "/" + api.cloudWatchName(), (name, ids) -> withId(ids, api.id(), true));
    }
    seriesCache.remove(api.region());
    return this;
  }

  /** Deletes an API: discovery stops returning it and CloudWatch stops receiving its data. */
  public void deleteApi(String id) {
    Api removed = apis.remove(id);
    if (removed != null) {
      deletedApis.put(id, removed);
      activity.deleted(id, now());
      if (removed.type() == ApiType.REST) {
        restApiIds.computeIfPresent(
            removed.region() + "/" + removed.cloudWatchName(),
            (name, ids) -> withId(ids, id, false));
      }
      seriesCache.remove(removed.region());
    }
  }

  /**
   * Makes periods starting before {@code since} hold no data (null: all of them), as for an account
   * whose APIs started serving then. Tests that run on the wall clock use it, with a fixed {@link
   * #setClock clock}, to know exactly which datapoints exist however their windows slide.
   */
  public void setDataSince(Instant since) {
    this.dataSince = since;
  }

  /** Whether ListMetrics keeps listing series of deleted APIs (true, as CloudWatch does). */
  public void setListDeletedSeries(boolean listDeletedSeries) {
    this.listDeletedSeries = listDeletedSeries;
    seriesCache.clear();
  }

  /**
   * The id of the live REST API CloudWatch names {@code cloudWatchName} in {@code region}, or null;
   * the smallest id when several share the name.
   */
  public String restApiIdByCloudWatchName(String region, String cloudWatchName) {
    List<String> ids = restApiIds.get(region + "/" + cloudWatchName);
    return ids == null ? null : ids.get(0);
  }

  /**
   * {@code ids} (sorted, null for none) with {@code id} added or removed; null when none is left.
   */
  private static List<String> withId(List<String> ids, String id, boolean add) {
    List<String> updated = new ArrayList<>(ids == null ? List.of() : ids);
    updated.remove(id);
    if (add) {
      updated.add(id);
    }
    Collections.sort(updated);
    return updated.isEmpty() ? null : List.copyOf(updated);
  }

  /** The live APIs of {@code region}, sorted by id (a stable order for pagination). */
  public List<Api> apis(String region) {
    List<Api> result = new ArrayList<>();
    for (Api api : apis.values()) {
      if (api.region().equals(region)) {
        result.add(api);
      }
    }
    result.sort((a, b) -> a.id().compareTo(b.id()));
    return result;
  }

  /**
   * The APIs GetRestApis and GetApis list in {@code region}: the live ones but those {@link
   * #setUnlistedApis} leaves out.
   */
  public List<Api> listedApis(String region) {
    Set<String> unlisted = unlistedApis;
    List<Api> live = apis(region);
    return unlisted.isEmpty()
        ? live
        : live.stream().filter(api -> !unlisted.contains(api.id())).toList();
  }

  /**
   * Leaves {@code apiIds} out of API Gateway's listings (as a listing that is briefly inconsistent
   * does) while CloudWatch keeps their series and data; empty lists them again.
   */
  public void setUnlistedApis(Set<String> apiIds) {
    this.unlistedApis = Set.copyOf(apiIds);
  }

  public Api api(String id) {
    return apis.get(id);
  }

  /** Every series CloudWatch lists for {@code region}, in a stable order. */
  public List<Series> series(String region) {
    List<Series> all = seriesCache.computeIfAbsent(region, this::buildSeries);
    Duration lag = listingLag;
    if (lag == null) {
      return all;
    }
    Instant createdBefore = now().minus(lag);
    List<Series> listed = new ArrayList<>(all.size());
    for (Series series : all) {
      Api api =
          apis.containsKey(series.apiId())
              ? apis.get(series.apiId())
              : deletedApis.get(series.apiId());
      if (api == null || api.createdDate() == null || !api.createdDate().isAfter(createdBefore)) {
        listed.add(series);
      }
    }
    return listed;
  }

  /**
   * The series ListMetrics lists for {@code region} with {@code RecentlyActive=PT3H}: those of
   * {@link #series} whose API served requests, so published datapoints, in the past three hours
   * ({@link #setIdle}, {@link #deleteApi}), as CloudWatch seen {@link #setRecentlyActiveLag} late.
   * {@link #setDataSince} hides data from reads only and does not count here.
   */
  public List<Series> recentlyActiveSeries(String region) {
    List<Series> all = series(region);
    if (activity.always()) {
      return all;
    }
    Instant now = now();
    long from = now.minus(ApiActivity.RECENTLY_ACTIVE).getEpochSecond();
    long to = now.minus(recentlyActiveLag).getEpochSecond();
    Map<String, Boolean> served = new java.util.HashMap<>();
    List<Series> listed = new ArrayList<>(all.size());
    for (Series series : all) {
      if (served.computeIfAbsent(series.apiId(), id -> activity.served(id, from, to))) {
        listed.add(series);
      }
    }
    return listed;
  }

  /**
   * Makes API {@code apiId} serve no request in [from, until) (a quiet night, a paused client): its
   * series publish no datapoint for those minutes, and drop out of RecentlyActive listings three
   * hours after its last one.
   */
  public void setIdle(String apiId, Instant from, Instant until) {
    activity.idle(apiId, from, until);
  }

  /**
   * How long after a datapoint a RecentlyActive listing reflects it (zero by default): ListMetrics
   * can take up to 15 minutes to show a series that starts publishing again.
   */
  public void setRecentlyActiveLag(Duration lag) {
    this.recentlyActiveLag = Objects.requireNonNull(lag, "lag");
  }

  /**
   * Makes a new API's series appear in ListMetrics only {@code lag} after the API's creation date,
   * as CloudWatch documents ("allow up to 15 minutes"); GetMetricData answers for them at once.
   */
  public void setListingLag(Duration lag) {
    this.listingLag = lag;
  }

  private List<Series> buildSeries(String region) {
    List<Series> result = new ArrayList<>();
    List<Api> sources = new ArrayList<>(apis(region));
    if (listDeletedSeries) {
      for (Api api : deletedApis.values()) {
        if (api.region().equals(region)) {
          sources.add(api);
        }
      }
    }
    Set<Map.Entry<String, Map<String, String>>> restSeriesListed = new HashSet<>();
    for (Api api : sources) {
      for (Series series : seriesOf(api)) {
        // REST APIs sharing a CloudWatch name publish the same series, which CloudWatch lists once
        if (api.type() != ApiType.REST
            || restSeriesListed.add(Map.entry(series.metricName(), series.dimensions()))) {
          result.add(series);
        }
      }
    }
    return List.copyOf(result);
  }

  /** The series {@code api} publishes, at every aggregation level. */
  public static List<Series> seriesOf(Api api) {
    List<Series> result = new ArrayList<>();
    seriesOf(api, result);
    return result;
  }

  private static void seriesOf(Api api, List<Series> out) {
    List<String> metrics =
        switch (api.type()) {
          case REST -> REST_METRICS;
          case HTTP -> HTTP_METRICS;
          case WEBSOCKET -> WEBSOCKET_METRICS;
        };
    String apiKey = api.type() == ApiType.REST ? "ApiName" : "ApiId";
    String apiValue = api.type() == ApiType.REST ? api.cloudWatchName() : api.id();
    for (String metric : metrics) {
      out.add(new Series(api.region(), api.id(), metric, Map.of(apiKey, apiValue)));
      for (String stage : api.stages()) {
        out.add(
            new Series(api.region(), api.id(), metric, Map.of(apiKey, apiValue, "Stage", stage)));
        if (!api.detailedMetrics()) {
          continue;
        }
        for (String route : api.routes()) {
          if (api.type() == ApiType.WEBSOCKET) {
            if (metric.equals("ConnectCount") != route.equals("$connect")) {
              continue; // only the $connect route counts connections; it sends no messages
            }
            out.add(
                new Series(
                    api.region(),
                    api.id(),
                    metric,
                    Map.of(apiKey, apiValue, "Stage", stage, "Route", route)));
          } else if (api.type() == ApiType.HTTP && api.httpRouteDimensions()) {
            out.add(
                new Series(
                    api.region(),
                    api.id(),
                    metric,
                    Map.of(apiKey, apiValue, "Stage", stage, "Route", route)));
          } else {
            int space = route.indexOf(' ');
            out.add(
                new Series(
                    api.region(),
                    api.id(),
                    metric,
                    Map.of(
                        apiKey,
                        apiValue,
                        "Stage",
                        stage,
                        "Method",
                        route.substring(0, space),
                        "Resource",
                        route.substring(space + 1))));
          }
        }
      }
    }
  }

  /** Whether {@code series} still receives data (its API was not deleted). */
  public boolean isLive(Series series) {
    return apis.containsKey(series.apiId());
  }

  /**
   * The datapoint CloudWatch holds for {@code series}, statistic {@code stat} (Sum, Average,
   * SampleCount, Minimum, Maximum, pNN) and the period starting at {@code periodStart}; empty when
   * the API is deleted, the period has not ended yet, starts before {@link #setDataSince} or has no
   * minute its API served requests in ({@link #setIdle}).
   */
  public OptionalDouble datapoint(
      Series series, String stat, Instant periodStart, int periodSeconds) {
    Instant since = dataSince;
    if (!isLive(series)
        || periodStart.plusSeconds(periodSeconds).isAfter(now())
        || (since != null && periodStart.isBefore(since))
        || !activity.served(
            series.apiId(),
            periodStart.getEpochSecond(),
            periodStart.getEpochSecond() + periodSeconds)) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(value(series, stat, periodStart.getEpochSecond(), periodSeconds));
  }

  /**
   * The deterministic value, regardless of liveness and time, derived from {@link #traffic()}: a
   * route series reports its route's {@link RouteMinute}s, a stage series the sum of its routes and
   * an API series the sum of its stages, over the period's minutes.
   */
  public double value(Series series, String stat, long periodStartEpochSecond, int periodSeconds) {
    if (periodSeconds <= 0) {
      throw new IllegalArgumentException("periodSeconds must be positive: " + periodSeconds);
    }
    Api api = apis.get(series.apiId());
    if (api == null) {
      api = deletedApis.get(series.apiId());
    }
    if (api == null) {
      throw new IllegalArgumentException("unknown API " + series.apiId());
    }
    List<RouteMinute> minutes = new ArrayList<>();
    // API Gateway publishes one-minute datapoints: a period covers the minutes starting in it.
    long firstMinute = Math.floorDiv(periodStartEpochSecond + 59, 60) * 60;
    long end = Math.max(periodStartEpochSecond + periodSeconds, firstMinute + 1);
    String stage = series.dimensions().get("Stage");
    List<Api> sources = apisSharingTheSeries(api);
    for (Api source : sources) {
      for (String s : stage == null ? source.stages() : List.of(stage)) {
        for (String route : routesOf(source, series)) {
          if (sources.size() > 1
              && !(source.stages().contains(s) && source.routes().contains(route))) {
            continue; // a sharing API without this stage or route adds no traffic to it
          }
          for (long minute = firstMinute; minute < end; minute += 60) {
            minutes.add(traffic.routeMinute(source, s, route, minute));
          }
        }
      }
    }
    return SeriesStatistics.value(series.metricName(), stat, minutes);
  }

  /**
   * The APIs whose traffic a series of {@code api} holds: {@code api}, or for a live REST API every
   * live REST API of its region sharing its CloudWatch name (CloudWatch merges them).
   */
  private List<Api> apisSharingTheSeries(Api api) {
    if (api.type() != ApiType.REST || !apis.containsKey(api.id())) {
      return List.of(api);
    }
    List<String> ids = restApiIds.get(api.region() + "/" + api.cloudWatchName());
    if (ids == null || ids.size() < 2) {
      return List.of(api);
    }
    List<Api> sharing = new ArrayList<>(ids.size());
    for (String id : ids) {
      Api live = apis.get(id);
      if (live != null) {
        sharing.add(live);
      }
    }
    return sharing;
  }

  /**
   * The routes whose requests {@code series} counts: its own route, else every route publishing the
   * metric.
   */
  private static List<String> routesOf(Api api, Series series) {
    Map<String, String> d = series.dimensions();
    if (d.containsKey("Route")) {
      return List.of(d.get("Route"));
    }
    if (d.containsKey("Method")) {
      return List.of(d.get("Method") + " " + d.get("Resource"));
    }
    if (api.type() != ApiType.WEBSOCKET) {
      return api.routes();
    }
    boolean connections = series.metricName().equals("ConnectCount");
    List<String> routes = new ArrayList<>();
    for (String route : api.routes()) {
      if (route.equals("$connect") == connections) {
        routes.add(route); // only $connect counts connections, and it sends no messages
      }
    }
    return routes;
  }

  /**
   * The traffic this account's APIs serve: what the metrics and any access-log generator derive
   * from.
   */
  public TrafficShape traffic() {
    return traffic;
  }

  /** The name CloudWatch gives a REST API: its name without non-ASCII characters, else its id. */
  public static String cloudWatchApiName(String name, String id) {
    StringBuilder ascii = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 128) {
        ascii.append(c);
      }
    }
    return ascii.length() == 0 ? id : ascii.toString();
  }
}
