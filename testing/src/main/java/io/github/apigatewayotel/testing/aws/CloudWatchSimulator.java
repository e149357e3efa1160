package io.github.apigatewayotel.testing.aws;

import io.github.apigatewayotel.testing.aws.cloudwatch.CloudWatchCodec;
import io.github.apigatewayotel.testing.aws.cloudwatch.CloudWatchError;
import io.github.apigatewayotel.testing.aws.cloudwatch.CloudWatchProtocol;
import io.github.apigatewayotel.testing.aws.cloudwatch.Dimension;
import io.github.apigatewayotel.testing.aws.cloudwatch.GetMetricDataRequest;
import io.github.apigatewayotel.testing.aws.cloudwatch.GetMetricDataResult;
import io.github.apigatewayotel.testing.aws.cloudwatch.ListMetricsRequest;
import io.github.apigatewayotel.testing.aws.cloudwatch.ListMetricsResult;
import io.github.apigatewayotel.testing.aws.cloudwatch.MessageData;
import io.github.apigatewayotel.testing.aws.cloudwatch.Metric;
import io.github.apigatewayotel.testing.aws.cloudwatch.MetricDataQuery;
import io.github.apigatewayotel.testing.aws.cloudwatch.MetricDataResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * CloudWatch ({@code monitoring}) over a {@link SimulatedAccount}: ListMetrics and GetMetricData
 * with AWS's limits (500 series per ListMetrics page, 500 queries per GetMetricData call, a
 * datapoint budget per call with {@code PartialData} + NextToken beyond it), in each protocol real
 * CloudWatch accepts, chosen by the request ({@link CloudWatchProtocol}: awsQuery, AWS JSON 1.0,
 * Smithy RPC v2 CBOR). The protocols decode into one neutral model and encode one neutral answer,
 * so what follows is CloudWatch's behaviour, written once ({@link #listMetrics}, {@link
 * #getMetricData}).
 *
 * <p>Billing, as CloudWatch's price list words it: GetMetricData costs $0.01 per 1,000 "metrics
 * requested". Each request is billed for every metric it names: one per {@code MetricStat} query,
 * and again for every page a NextToken asks for (each page is a request that names every metric
 * again). A math {@code Expression} is computed from metrics requested in the same call and is not
 * itself a metric requested (this simulator does not evaluate expressions and refuses them,
 * unbilled, as it does every refused request); Metrics Insights queries are not simulated either.
 * ListMetrics is an ordinary API request.
 *
 * <p>The account can be a CloudWatch cross-account observability <em>monitoring account</em>:
 * {@link #link} makes another simulated account one of its source accounts. As CloudWatch does,
 * ListMetrics then lists the source accounts' series too when asked with {@code
 * IncludeLinkedAccounts=true} (optionally only those of one {@code OwningAccount}), with {@code
 * OwningAccounts} parallel to {@code Metrics} (the monitoring account's own series name its own
 * id); a GetMetricData query reads the account its {@code AccountId} names, and one without {@code
 * AccountId} the monitoring account's own series. A query naming an account that is neither this
 * one nor linked finds no such series and returns no datapoints. CloudWatch bills the caller (the
 * monitoring account) per metric requested.
 */
public final class CloudWatchSimulator implements AwsServiceHandler {

  public static final int LIST_METRICS_PAGE_SIZE = 500;
  public static final int MAX_QUERIES_PER_CALL = 500;

  /** CloudWatch returns at most 100,800 datapoints per GetMetricData call. */
  public static final int MAX_DATAPOINTS_PER_CALL = 100_800;

  /** The only value ListMetrics takes for {@code RecentlyActive}: the past three hours. */
  public static final String RECENTLY_ACTIVE_PT3H = "PT3H";

  static final String NAMESPACE = "AWS/ApiGateway";
  private static final Pattern QUERY_ID = Pattern.compile("^[a-z][a-zA-Z0-9_]*$");

  private final SimulatedAccount account;

  /** Source accounts linked to this (monitoring) account, by id, listed in id order. */
  private final Map<String, SimulatedAccount> linked = new ConcurrentSkipListMap<>();

  private volatile int datapointsPerCall = MAX_DATAPOINTS_PER_CALL;

  /** Metric names whose queries answer {@code InternalError} with a message, as CloudWatch can. */
  private final Set<String> failingMetrics = ConcurrentHashMap.newKeySet();

  private final AtomicLong queriesReceived = new AtomicLong();
  private final AtomicLong metricsRequested = new AtomicLong();
  private final AtomicLong getMetricDataCalls = new AtomicLong();
  private final AtomicLong nextTokenCalls = new AtomicLong();
  private final Map<String, AtomicLong> queriesByOwner = new ConcurrentHashMap<>();
  private final AtomicLong datapointsReturned = new AtomicLong();
  private final Map<CloudWatchProtocol, AtomicLong> requestsByProtocol =
      new EnumMap<>(CloudWatchProtocol.class);

  public CloudWatchSimulator(SimulatedAccount account) {
    this.account = account;
    for (CloudWatchProtocol protocol : CloudWatchProtocol.values()) {
      requestsByProtocol.put(protocol, new AtomicLong());
    }
  }

  @Override
  public String signingName() {
    return "monitoring";
  }

  /** The account this CloudWatch belongs to. */
  public SimulatedAccount account() {
    return account;
  }

  /**
   * Links {@code source} to this account through CloudWatch cross-account observability (metrics of
   * every namespace shared, in every region): this account becomes its monitoring account.
   */
  public CloudWatchSimulator link(SimulatedAccount source) {
    if (source.accountId().equals(account.accountId())) {
      throw new IllegalArgumentException("an account cannot be its own source account");
    }
    linked.put(source.accountId(), source);
    return this;
  }

  /** Lowers the datapoint budget per call, so tests see {@code PartialData} and NextToken. */
  public void setDatapointsPerCall(int datapointsPerCall) {
    if (datapointsPerCall < 1) {
      throw new IllegalArgumentException("datapointsPerCall must be positive");
    }
    this.datapointsPerCall = datapointsPerCall;
  }

  /**
   * Makes every query of {@code metricName} answer StatusCode InternalError (and no data) until
   * cleared.
   */
  public void failQueriesOf(String metricName) {
    failingMetrics.add(metricName);
  }

  public void clearFailures() {
    failingMetrics.clear();
  }

  /** Queries received by the GetMetricData calls answered so far, pages included. */
  public long queriesReceived() {
    return queriesReceived.get();
  }

  /**
   * GetMetricData's billed unit so far: metrics requested, counted per answered request as
   * CloudWatch bills them (see the class comment). Refused requests are not billed.
   */
  public long metricsRequested() {
    return metricsRequested.get();
  }

  /** GetMetricData calls answered so far, pages included. */
  public long getMetricDataCalls() {
    return getMetricDataCalls.get();
  }

  /** GetMetricData calls answered so far that asked for a further page (carried a NextToken). */
  public long nextTokenCalls() {
    return nextTokenCalls.get();
  }

  /**
   * Queries received so far that read {@code accountId}'s series (this account's: no AccountId, or
   * its own).
   */
  public long queriesReading(String accountId) {
    AtomicLong count = queriesByOwner.get(accountId);
    return count == null ? 0 : count.get();
  }

  public long datapointsReturned() {
    return datapointsReturned.get();
  }

  /** Requests this simulator answered in {@code protocol} so far. */
  public long requests(CloudWatchProtocol protocol) {
    return requestsByProtocol.get(protocol).get();
  }

  @Override
  public AwsResponse handle(AwsRequest request) {
    CloudWatchProtocol protocol = CloudWatchProtocol.of(request);
    requestsByProtocol.get(protocol).incrementAndGet();
    CloudWatchCodec codec = protocol.codec();
    try {
      String operation = codec.operation(request);
      return switch (operation) {
        case "ListMetrics" ->
            codec.encode(listMetrics(request.region(), codec.listMetrics(request)));
        case "GetMetricData" ->
            codec.encode(getMetricData(request.region(), codec.getMetricData(request)));
        default ->
            throw new CloudWatchError(
                400, "Sender", "InvalidAction", "unsupported action " + operation);
      };
    } catch (CloudWatchError error) {
      return codec.encode(error);
    }
  }

  /**
   * ListMetrics' semantics in {@code region}: the series of this account (and, with {@code
   * IncludeLinkedAccounts}, of its source accounts, or only of {@code OwningAccount}) matching the
   * request's namespace, metric name and dimension filters, in a stable order, 500 a page; with
   * {@code RecentlyActive=PT3H} only those with datapoints in the past three hours.
   */
  public ListMetricsResult listMetrics(String region, ListMetricsRequest request) {
    boolean recentlyActive = request.recentlyActive() != null;
    if (recentlyActive && !request.recentlyActive().equals(RECENTLY_ACTIVE_PT3H)) {
      throw CloudWatchError.validation(
          "1 validation error detected: Value '"
              + request.recentlyActive()
              + "' at 'recentlyActive' failed to satisfy constraint: Member must satisfy enum value set: [PT3H]");
    }
    List<SimulatedAccount> sources = new ArrayList<>();
    if (request.namespace() == null || request.namespace().equals(NAMESPACE)) {
      String only = request.includeLinkedAccounts() ? request.owningAccount() : null;
      if (only == null || only.equals(account.accountId())) {
        sources.add(account);
      }
      if (request.includeLinkedAccounts()) {
        linked.forEach(
            (id, source) -> {
              if (only == null || only.equals(id)) {
                sources.add(source);
              }
            });
      }
    }
    int start = parseToken(request.nextToken());
    int end = start + LIST_METRICS_PAGE_SIZE;
    List<Metric> metrics = new ArrayList<>();
    List<String> owners = new ArrayList<>();
    int position =
        0; // index of the first series of the source at hand, across the sources' listings
    for (SimulatedAccount source : sources) {
      List<SimulatedAccount.Series> listing = listing(source, region, request, recentlyActive);
      for (int i = Math.max(0, start - position); i < listing.size() && position + i < end; i++) {
        SimulatedAccount.Series series = listing.get(i);
        List<Dimension> dimensions = new ArrayList<>(series.dimensions().size());
        series.dimensions().forEach((name, value) -> dimensions.add(new Dimension(name, value)));
        metrics.add(new Metric(NAMESPACE, series.metricName(), dimensions));
        owners.add(source.accountId());
      }
      position += listing.size();
    }
    return new ListMetricsResult(
        metrics,
        request.includeLinkedAccounts() ? owners : List.of(),
        end < position ? "lm-" + end : null);
  }

  private static List<SimulatedAccount.Series> listing(
      SimulatedAccount source, String region, ListMetricsRequest request, boolean recentlyActive) {
    // cached by the account; pages index into it
    List<SimulatedAccount.Series> all =
        recentlyActive ? source.recentlyActiveSeries(region) : source.series(region);
    if (request.metricName() == null && request.dimensions().isEmpty()) {
      return all;
    }
    List<SimulatedAccount.Series> matching = new ArrayList<>();
    for (SimulatedAccount.Series series : all) {
      if ((request.metricName() == null || request.metricName().equals(series.metricName()))
          && matches(series.dimensions(), request.dimensions())) {
        matching.add(series);
      }
    }
    return matching;
  }

  /**
   * A series matches a filter when it has each filtered dimension (with the value, when one is
   * given).
   */
  private static boolean matches(Map<String, String> dimensions, List<Dimension> filters) {
    for (Dimension filter : filters) {
      String value = dimensions.get(filter.name());
      if (value == null || (filter.value() != null && !filter.value().equals(value))) {
        return false;
      }
    }
    return true;
  }

  private record Query(
      String id,
      String owner,
      String metricName,
      Map<String, String> dimensions,
      String stat,
      int period) {}

  /**
   * GetMetricData's semantics in {@code region}: validates the call as CloudWatch does, bills it
   * (every query is a metric requested, every page again), and answers each query's datapoints in
   * [start, end) within the call's datapoint budget, continuing after the request's NextToken.
   */
  public GetMetricDataResult getMetricData(String region, GetMetricDataRequest request) {
    List<Query> queries = new ArrayList<>(request.queries().size());
    for (MetricDataQuery query : request.queries()) {
      queries.add(query(query));
    }
    if (queries.isEmpty() || queries.size() > MAX_QUERIES_PER_CALL) {
      throw CloudWatchError.validation(
          "MetricDataQueries must hold 1 to "
              + MAX_QUERIES_PER_CALL
              + " queries, got "
              + queries.size());
    }
    if (request.startTime() == null || request.endTime() == null) {
      throw CloudWatchError.validation("StartTime and EndTime are required");
    }
    int skip = parseToken(request.nextToken());
    getMetricDataCalls.incrementAndGet();
    if (request.nextToken() != null && !request.nextToken().isEmpty()) {
      nextTokenCalls.incrementAndGet();
    }
    queriesReceived.addAndGet(queries.size());
    metricsRequested.addAndGet(
        queries.size()); // every query is a MetricStat: each a metric requested
    Instant startTime = request.startTime();
    Instant endTime = request.endTime();
    int budget = datapointsPerCall;
    int position = 0; // datapoints enumerated across all queries, for the NextToken
    boolean truncated = false;
    List<MetricDataResult> results = new ArrayList<>(queries.size());
    for (Query query : queries) {
      queriesByOwner.computeIfAbsent(query.owner(), k -> new AtomicLong()).incrementAndGet();
      String label = query.metricName();
      if (failingMetrics.contains(label)) {
        results.add(
            new MetricDataResult(
                query.id(),
                label,
                List.of(),
                List.of(),
                "InternalError",
                List.of(new MessageData("InternalError", "simulated internal error"))));
        continue;
      }
      SimulatedAccount source =
          query.owner().equals(account.accountId()) ? account : linked.get(query.owner());
      List<Instant> times = new ArrayList<>();
      List<Double> values = new ArrayList<>();
      String status = "Complete";
      if (source != null) {
        SimulatedAccount.Series series =
            new SimulatedAccount.Series(
                region,
                apiIdOf(source, region, query.dimensions()),
                query.metricName(),
                query.dimensions());
        long periodSeconds = query.period();
        long first = ceilDiv(startTime.getEpochSecond(), periodSeconds) * periodSeconds;
        // TimestampDescending, CloudWatch's default order
        for (long t = Math.floorDiv(endTime.getEpochSecond() - 1, periodSeconds) * periodSeconds;
            t >= first;
            t -= periodSeconds) {
          OptionalDouble value =
              source.datapoint(series, query.stat(), Instant.ofEpochSecond(t), query.period());
          if (value.isEmpty()) {
            continue;
          }
          if (position++ < skip) {
            continue;
          }
          if (budget == 0) {
            truncated = true;
            status = "PartialData";
            break;
          }
          budget--;
          times.add(Instant.ofEpochSecond(t));
          values.add(value.getAsDouble());
        }
      }
      datapointsReturned.addAndGet(times.size());
      results.add(new MetricDataResult(query.id(), label, times, values, status, List.of()));
    }
    return new GetMetricDataResult(
        results, List.of(), truncated ? "gmd-" + (skip + datapointsPerCall) : null);
  }

  private Query query(MetricDataQuery query) {
    String id = query.id();
    if (id == null || !QUERY_ID.matcher(id).matches()) {
      throw CloudWatchError.validation("invalid query id " + id);
    }
    if (query.expression() != null) {
      throw CloudWatchError.validation(
          "query " + id + ": math expressions and Metrics Insights queries are not simulated");
    }
    if (query.metric() == null || !NAMESPACE.equals(query.metric().namespace())) {
      throw CloudWatchError.validation("query " + id + ": namespace must be " + NAMESPACE);
    }
    if (query.stat() == null || query.period() == null) {
      throw CloudWatchError.validation("query " + id + " needs MetricStat.Stat and Period");
    }
    Map<String, String> dimensions = new TreeMap<>();
    query.metric().dimensions().forEach(d -> dimensions.put(d.name(), d.value()));
    String owner = query.accountId() == null ? account.accountId() : query.accountId();
    return new Query(
        id, owner, query.metric().metricName(), dimensions, query.stat(), query.period());
  }

  /**
   * Which API a REST {@code ApiName} belongs to in {@code source}, so deleted APIs stop producing
   * data.
   */
  private static String apiIdOf(
      SimulatedAccount source, String region, Map<String, String> dimensions) {
    String apiId = dimensions.get("ApiId");
    if (apiId != null) {
      return apiId;
    }
    String apiName = dimensions.get("ApiName");
    String restId = source.restApiIdByCloudWatchName(region, apiName);
    return restId == null ? "deleted:" + apiName : restId;
  }

  private static int parseToken(String token) {
    if (token == null || token.isEmpty()) {
      return 0;
    }
    try {
      return Integer.parseInt(token.substring(token.indexOf('-') + 1));
    } catch (NumberFormatException e) {
      throw new CloudWatchError(
          400, "Sender", "InvalidNextToken", "The service cannot process the NextToken");
    }
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }
}
