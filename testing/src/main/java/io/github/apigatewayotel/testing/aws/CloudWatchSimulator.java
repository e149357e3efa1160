package io.github.apigatewayotel.testing.aws;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * CloudWatch ({@code monitoring}) over a {@link SimulatedAccount}: ListMetrics and GetMetricData
 * with AWS's limits (500 series per ListMetrics page, 500 queries per GetMetricData call, a
 * datapoint budget per call with {@code PartialData} + NextToken beyond it).
 *
 * <p>The account can be a CloudWatch cross-account observability <em>monitoring account</em>:
 * {@link #link} makes another simulated account one of its source accounts. As CloudWatch does,
 * ListMetrics then lists the source accounts' series too when asked with {@code
 * IncludeLinkedAccounts=true} (optionally only those of one {@code OwningAccount}), with {@code
 * OwningAccounts} parallel to {@code Metrics} (the monitoring account's own series name its own id);
 * a GetMetricData query reads the account its {@code AccountId} names, and one without {@code
 * AccountId} the monitoring account's own series. A query naming an account that is neither this
 * one nor linked finds no such series and returns no datapoints. Every query counts in {@link
 * #queriesReceived}: CloudWatch bills the caller (the monitoring account) per metric requested.
 *
 * <p>{@link #listMetrics} and {@link #getMetricData} hold the semantics, whatever the wire protocol;
 * {@link CloudWatchQueryCodec} decodes the awsQuery requests of the AWS SDK for Java 2.40 into them
 * and writes their XML answers.
 */
public final class CloudWatchSimulator implements AwsServiceHandler {

  public static final int LIST_METRICS_PAGE_SIZE = 500;
  public static final int MAX_QUERIES_PER_CALL = 500;
  /** CloudWatch returns at most 100,800 datapoints per GetMetricData call. */
  public static final int MAX_DATAPOINTS_PER_CALL = 100_800;

  static final String NAMESPACE = "AWS/ApiGateway";
  private static final Pattern QUERY_ID = Pattern.compile("^[a-z][a-zA-Z0-9_]*$");

  /** A ListMetrics request, whatever the protocol; {@code owningAccount} only with linked accounts. */
  public record ListMetricsQuery(
      String namespace, String metricName, String nextToken, boolean includeLinkedAccounts, String owningAccount) {}

  /**
   * One ListMetrics page: {@code owningAccounts} is parallel to {@code metrics} when the request
   * included linked accounts, else empty; {@code nextToken} null on the last page.
   */
  public record ListMetricsPage(List<SimulatedAccount.Series> metrics, List<String> owningAccounts, String nextToken) {}

  /** One GetMetricData query ({@code MetricStat} form); {@code accountId} null reads this account. */
  public record MetricQuery(
      String id, String accountId, String namespace, String metricName, Map<String, String> dimensions,
      String stat, Integer period) {}

  /** A message CloudWatch attaches to a query result. */
  public record Message(String code, String value) {}

  /** One query's answer: timestamps newest first (CloudWatch's default order) and their values. */
  public record MetricResult(
      String id, String label, List<Instant> timestamps, List<Double> values, String statusCode, List<Message> messages) {}

  /** One GetMetricData page; {@code nextToken} null on the last. */
  public record GetMetricDataPage(List<MetricResult> results, String nextToken) {}

  /** A request CloudWatch refuses with {@code ValidationError} (HTTP 400). */
  public static final class ValidationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ValidationException(String message) {
      super(message);
    }
  }

  private final SimulatedAccount account;
  /** Source accounts linked to this (monitoring) account, by id, listed in id order. */
  private final Map<String, SimulatedAccount> linked = new ConcurrentSkipListMap<>();
  private volatile int datapointsPerCall = MAX_DATAPOINTS_PER_CALL;
  /** Metric names whose queries answer {@code InternalError} with a message, as CloudWatch can. */
  private final java.util.Set<String> failingMetrics = ConcurrentHashMap.newKeySet();
  private final AtomicLong queriesReceived = new AtomicLong();
  private final Map<String, AtomicLong> queriesByOwner = new ConcurrentHashMap<>();
  private final AtomicLong datapointsReturned = new AtomicLong();

  public CloudWatchSimulator(SimulatedAccount account) {
    this.account = account;
  }

  @Override
  public String signingName() {
    return "monitoring";
  }

  /**
   * Links {@code source} to this account through CloudWatch cross-account observability (metrics
   * of every namespace shared, in every region): this account becomes its monitoring account.
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

  /** Makes every query of {@code metricName} answer StatusCode InternalError (and no data) until cleared. */
  public void failQueriesOf(String metricName) {
    failingMetrics.add(metricName);
  }

  public void clearFailures() {
    failingMetrics.clear();
  }

  /** Queries received by GetMetricData so far (what CloudWatch bills). */
  public long queriesReceived() {
    return queriesReceived.get();
  }

  /** Queries received so far that read {@code accountId}'s series (this account's: no AccountId, or its own). */
  public long queriesReading(String accountId) {
    AtomicLong count = queriesByOwner.get(accountId);
    return count == null ? 0 : count.get();
  }

  public long datapointsReturned() {
    return datapointsReturned.get();
  }

  @Override
  public AwsResponse handle(AwsRequest request) {
    return CloudWatchQueryCodec.handle(this, request);
  }

  /** ListMetrics in {@code region}. */
  public ListMetricsPage listMetrics(String region, ListMetricsQuery query) {
    List<SimulatedAccount> sources = new ArrayList<>();
    if (query.namespace() == null || query.namespace().equals(NAMESPACE)) {
      String only = query.includeLinkedAccounts() ? query.owningAccount() : null;
      if (only == null || only.equals(account.accountId())) {
        sources.add(account);
      }
      if (query.includeLinkedAccounts()) {
        linked.forEach((id, source) -> {
          if (only == null || only.equals(id)) {
            sources.add(source);
          }
        });
      }
    }
    int start = parseToken(query.nextToken());
    int end = start + LIST_METRICS_PAGE_SIZE;
    List<SimulatedAccount.Series> page = new ArrayList<>();
    List<String> owners = new ArrayList<>();
    int position = 0; // index of the first series of the source at hand, across the sources' listings
    for (SimulatedAccount source : sources) {
      List<SimulatedAccount.Series> listing = source.series(region); // cached; pages index into it
      if (query.metricName() != null) {
        listing = listing.stream().filter(series -> query.metricName().equals(series.metricName())).toList();
      }
      for (int i = Math.max(0, start - position); i < listing.size() && position + i < end; i++) {
        page.add(listing.get(i));
        owners.add(source.accountId());
      }
      position += listing.size();
    }
    boolean more = end < position;
    return new ListMetricsPage(page, query.includeLinkedAccounts() ? owners : List.of(), more ? "lm-" + end : null);
  }

  /** GetMetricData in {@code region} over [{@code start}, {@code end}). */
  public GetMetricDataPage getMetricData(String region, List<MetricQuery> queries, Instant start, Instant end, String nextToken) {
    if (queries.isEmpty() || queries.size() > MAX_QUERIES_PER_CALL) {
      throw new ValidationException("MetricDataQueries must hold 1 to " + MAX_QUERIES_PER_CALL + " queries, got " + queries.size());
    }
    for (MetricQuery query : queries) {
      if (query.id() == null || !QUERY_ID.matcher(query.id()).matches()) {
        throw new ValidationException("invalid query id " + query.id());
      }
      if (!NAMESPACE.equals(query.namespace())) {
        throw new ValidationException("query " + query.id() + ": namespace must be " + NAMESPACE);
      }
      if (query.stat() == null || query.period() == null) {
        throw new ValidationException("query " + query.id() + " needs MetricStat.Stat and Period");
      }
    }
    queriesReceived.addAndGet(queries.size());
    int skip = parseToken(nextToken);
    int budget = datapointsPerCall;
    int position = 0; // datapoints enumerated across all queries, for the NextToken
    boolean truncated = false;
    List<MetricResult> results = new ArrayList<>(queries.size());
    for (MetricQuery query : queries) {
      String owner = query.accountId() == null ? account.accountId() : query.accountId();
      queriesByOwner.computeIfAbsent(owner, k -> new AtomicLong()).incrementAndGet();
      if (failingMetrics.contains(query.metricName())) {
        results.add(new MetricResult(query.id(), query.metricName(), List.of(), List.of(), "InternalError",
            List.of(new Message("InternalError", "simulated internal error"))));
        continue;
      }
      SimulatedAccount source = owner.equals(account.accountId()) ? account : linked.get(owner);
      List<Instant> times = new ArrayList<>();
      List<Double> values = new ArrayList<>();
      String status = "Complete";
      if (source != null) {
        SimulatedAccount.Series series =
            new SimulatedAccount.Series(region, apiIdOf(source, region, query.dimensions()), query.metricName(), query.dimensions());
        long periodSeconds = query.period();
        long first = ceilDiv(start.getEpochSecond(), periodSeconds) * periodSeconds;
        // TimestampDescending, CloudWatch's default order
        for (long t = Math.floorDiv(end.getEpochSecond() - 1, periodSeconds) * periodSeconds; t >= first; t -= periodSeconds) {
          OptionalDouble value = source.datapoint(series, query.stat(), Instant.ofEpochSecond(t), query.period());
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
      results.add(new MetricResult(query.id(), query.metricName(), times, values, status, List.of()));
    }
    return new GetMetricDataPage(results, truncated ? "gmd-" + (skip + datapointsPerCall) : null);
  }

  /** Which API a REST {@code ApiName} belongs to in {@code source}, so deleted APIs stop producing data. */
  private static String apiIdOf(SimulatedAccount source, String region, Map<String, String> dimensions) {
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
      throw new ValidationException("invalid NextToken " + token);
    }
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  /** The account this CloudWatch belongs to. */
  public SimulatedAccount account() {
    return account;
  }
}
