package io.github.apigatewayotel.testing.aws;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * CloudWatch ({@code monitoring}) over a {@link SimulatedAccount}: ListMetrics and GetMetricData
 * with AWS's limits (500 series per ListMetrics page, 500 queries per GetMetricData call, a
 * datapoint budget per call with {@code PartialData} + NextToken beyond it). The awsQuery wire
 * protocol is decoded into protocol-neutral calls ({@link #listMetrics}, {@link #getMetricData}),
 * which hold the semantics and count what CloudWatch bills.
 *
 * <p>Billing, as CloudWatch's price list words it: GetMetricData costs $0.01 per 1,000 "metrics
 * requested". Each request is billed for every metric it names: one per {@code MetricStat} query,
 * whether its data is returned or only feeds an expression, and again for every page a NextToken
 * asks for (each page is a request that names every metric again). A math {@code Expression} is
 * computed from metrics requested in the same call and is not itself a metric requested (this
 * simulator does not evaluate expressions and refuses them, unbilled, as it does every refused
 * request); Metrics Insights queries, billed by the metrics they analyze, are not simulated either.
 * ListMetrics is an ordinary API request (1,000,000 free a month, then per 1,000 requests).
 */
public final class CloudWatchSimulator implements AwsServiceHandler {

  public static final int LIST_METRICS_PAGE_SIZE = 500;
  public static final int MAX_QUERIES_PER_CALL = 500;
  /** CloudWatch returns at most 100,800 datapoints per GetMetricData call. */
  public static final int MAX_DATAPOINTS_PER_CALL = 100_800;
  /** The only value ListMetrics takes for {@code RecentlyActive}: the past three hours. */
  public static final String RECENTLY_ACTIVE_PT3H = "PT3H";

  private static final String NAMESPACE = "AWS/ApiGateway";
  private static final String XMLNS = "http://monitoring.amazonaws.com/doc/2010-08-01/";
  private static final Pattern QUERY_ID = Pattern.compile("^[a-z][a-zA-Z0-9_]*$");

  private final SimulatedAccount account;
  private volatile int datapointsPerCall = MAX_DATAPOINTS_PER_CALL;
  /** Metric names whose queries answer {@code InternalError} with a message, as CloudWatch can. */
  private final java.util.Set<String> failingMetrics = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final AtomicLong queriesReceived = new AtomicLong();
  private final AtomicLong metricsRequested = new AtomicLong();
  private final AtomicLong getMetricDataCalls = new AtomicLong();
  private final AtomicLong nextTokenCalls = new AtomicLong();
  private final AtomicLong datapointsReturned = new AtomicLong();

  public CloudWatchSimulator(SimulatedAccount account) {
    this.account = account;
  }

  @Override
  public String signingName() {
    return "monitoring";
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

  public long datapointsReturned() {
    return datapointsReturned.get();
  }

  @Override
  public AwsResponse handle(AwsRequest request) {
    Map<String, String> form = request.formFields();
    String action = form.getOrDefault("Action", "");
    try {
      return switch (action) {
        case "ListMetrics" -> listMetricsQuery(request.region(), form);
        case "GetMetricData" -> getMetricDataQuery(request.region(), form);
        default -> AwsResponse.queryError(400, "Sender", "InvalidAction", "unsupported action " + action);
      };
    } catch (ValidationError e) {
      return AwsResponse.queryError(400, "Sender", "ValidationError", e.getMessage());
    }
  }

  /** A request CloudWatch refuses with {@code ValidationError}; never billed. */
  public static final class ValidationError extends RuntimeException {
    ValidationError(String message) {
      super(message);
    }
  }

  /**
   * ListMetrics' semantics: every series of {@code region} in {@code namespace} (null: any),
   * named {@code metricName} (null: any), in a stable order; with {@code recentlyActive} only
   * those with datapoints in the past three hours ({@link SimulatedAccount#recentlyActiveSeries}).
   */
  public List<SimulatedAccount.Series> listMetrics(String region, String namespace, String metricName,
      boolean recentlyActive) {
    if (namespace != null && !namespace.equals(NAMESPACE)) {
      return List.of();
    }
    List<SimulatedAccount.Series> all = recentlyActive ? account.recentlyActiveSeries(region) : account.series(region);
    if (metricName == null) {
      return all; // cached by the account; pages index into it
    }
    List<SimulatedAccount.Series> named = new ArrayList<>();
    for (SimulatedAccount.Series series : all) {
      if (metricName.equals(series.metricName())) {
        named.add(series);
      }
    }
    return named;
  }

  private AwsResponse listMetricsQuery(String region, Map<String, String> form) {
    String recentlyActive = form.get("RecentlyActive");
    if (recentlyActive != null && !recentlyActive.equals(RECENTLY_ACTIVE_PT3H)) {
      throw new ValidationError("1 validation error detected: Value '" + recentlyActive
          + "' at 'recentlyActive' failed to satisfy constraint: Member must satisfy enum value set: [PT3H]");
    }
    List<SimulatedAccount.Series> all = listMetrics(region, form.get("Namespace"), form.get("MetricName"),
        recentlyActive != null);
    int start = parseToken(form.get("NextToken"));
    int end = Math.min(all.size(), start + LIST_METRICS_PAGE_SIZE);
    StringBuilder xml = new StringBuilder(256 + 200 * Math.max(0, end - start));
    xml.append("<ListMetricsResponse xmlns=\"").append(XMLNS).append("\"><ListMetricsResult><Metrics>");
    for (int i = start; i < end; i++) {
      SimulatedAccount.Series series = all.get(i);
      xml.append("<member><Namespace>").append(NAMESPACE).append("</Namespace><MetricName>")
          .append(XmlText.xml(series.metricName())).append("</MetricName><Dimensions>");
      series.dimensions().forEach((k, v) -> xml.append("<member><Name>").append(k)
          .append("</Name><Value>").append(XmlText.xml(v)).append("</Value></member>"));
      xml.append("</Dimensions></member>");
    }
    xml.append("</Metrics>");
    if (end < all.size()) {
      xml.append("<NextToken>lm-").append(end).append("</NextToken>");
    }
    xml.append("</ListMetricsResult><ResponseMetadata><RequestId>sim</RequestId></ResponseMetadata></ListMetricsResponse>");
    return AwsResponse.xml(200, xml.toString());
  }

  /** One {@code MetricStat} query of a GetMetricData call. */
  public record MetricQuery(String id, String namespace, String metricName, Map<String, String> dimensions, String stat,
      int period) {}

  /** One query's answer: its datapoints, newest first as CloudWatch's default order has them. */
  public record QueryResult(String id, String label, List<Instant> timestamps, List<Double> values, String statusCode,
      String message) {}

  /** One GetMetricData answer: a result per query and, when more datapoints remain, the next page's token. */
  public record MetricData(List<QueryResult> results, String nextToken) {}

  /**
   * GetMetricData's semantics: validates the call as CloudWatch does, bills it (every query is a
   * metric requested, every page again), and answers each query's datapoints in [start, end) within
   * the call's datapoint budget, continuing after {@code nextToken} (null for the first page).
   */
  public MetricData getMetricData(String region, List<MetricQuery> queries, Instant start, Instant end,
      String nextToken) {
    if (queries.isEmpty() || queries.size() > MAX_QUERIES_PER_CALL) {
      throw new ValidationError("MetricDataQueries must hold 1 to " + MAX_QUERIES_PER_CALL + " queries, got " + queries.size());
    }
    for (MetricQuery query : queries) {
      if (!QUERY_ID.matcher(query.id()).matches()) {
        throw new ValidationError("invalid query id " + query.id());
      }
      if (!NAMESPACE.equals(query.namespace())) {
        throw new ValidationError("query " + query.id() + ": namespace must be " + NAMESPACE);
      }
    }
    getMetricDataCalls.incrementAndGet();
    if (nextToken != null) {
      nextTokenCalls.incrementAndGet();
    }
    queriesReceived.addAndGet(queries.size());
    metricsRequested.addAndGet(queries.size()); // every query is a MetricStat: each a metric requested
    int skip = parseToken(nextToken);
    int budget = datapointsPerCall;
    int position = 0; // datapoints enumerated across all queries, for the NextToken
    boolean truncated = false;
    List<QueryResult> results = new ArrayList<>(queries.size());
    for (MetricQuery query : queries) {
      if (failingMetrics.contains(query.metricName())) {
        results.add(new QueryResult(query.id(), query.metricName(), List.of(), List.of(), "InternalError",
            "simulated internal error"));
        continue;
      }
      SimulatedAccount.Series series = new SimulatedAccount.Series(region, apiIdOf(region, query.dimensions()),
          query.metricName(), query.dimensions());
      List<Instant> times = new ArrayList<>();
      List<Double> values = new ArrayList<>();
      String status = "Complete";
      long periodSeconds = query.period();
      long first = ceilDiv(start.getEpochSecond(), periodSeconds) * periodSeconds;
      // TimestampDescending, CloudWatch's default order
      for (long t = floorDiv(end.getEpochSecond() - 1, periodSeconds) * periodSeconds; t >= first; t -= periodSeconds) {
        OptionalDouble value = account.datapoint(series, query.stat(), Instant.ofEpochSecond(t), query.period());
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
      datapointsReturned.addAndGet(times.size());
      results.add(new QueryResult(query.id(), query.metricName(), times, values, status, null));
    }
    return new MetricData(results, truncated ? "gmd-" + (skip + datapointsPerCall) : null);
  }

  private AwsResponse getMetricDataQuery(String region, Map<String, String> form) {
    List<MetricQuery> queries = new ArrayList<>();
    for (int n = 1; form.containsKey("MetricDataQueries.member." + n + ".Id"); n++) {
      String prefix = "MetricDataQueries.member." + n + ".";
      String id = form.get(prefix + "Id");
      if (form.containsKey(prefix + "Expression")) {
        throw new ValidationError("query " + id + ": math expressions and Metrics Insights queries are not simulated");
      }
      String metricPrefix = prefix + "MetricStat.Metric.";
      Map<String, String> dimensions = new TreeMap<>();
      for (int d = 1; form.containsKey(metricPrefix + "Dimensions.member." + d + ".Name"); d++) {
        dimensions.put(form.get(metricPrefix + "Dimensions.member." + d + ".Name"),
            form.get(metricPrefix + "Dimensions.member." + d + ".Value"));
      }
      String stat = form.get(prefix + "MetricStat.Stat");
      String period = form.get(prefix + "MetricStat.Period");
      if (stat == null || period == null) {
        throw new ValidationError("query " + id + " needs MetricStat.Stat and Period");
      }
      queries.add(new MetricQuery(id, form.get(metricPrefix + "Namespace"), form.get(metricPrefix + "MetricName"),
          dimensions, stat, Integer.parseInt(period)));
    }
    MetricData answer = getMetricData(region, queries, Instant.parse(form.get("StartTime")),
        Instant.parse(form.get("EndTime")), emptyToNull(form.get("NextToken")));
    StringBuilder xml = new StringBuilder(256 + 160 * queries.size());
    xml.append("<GetMetricDataResponse xmlns=\"").append(XMLNS).append("\"><GetMetricDataResult><MetricDataResults>");
    for (QueryResult result : answer.results()) {
      xml.append("<member><Id>").append(result.id()).append("</Id><Label>").append(XmlText.xml(result.label()))
          .append("</Label><Timestamps>");
      for (Instant time : result.timestamps()) {
        xml.append("<member>").append(time).append("</member>");
      }
      xml.append("</Timestamps><Values>");
      for (Double value : result.values()) {
        xml.append("<member>").append(value).append("</member>");
      }
      xml.append("</Values><StatusCode>").append(result.statusCode()).append("</StatusCode>");
      if (result.message() != null) {
        xml.append("<Messages><member><Code>").append(result.statusCode()).append("</Code><Value>")
            .append(XmlText.xml(result.message())).append("</Value></member></Messages>");
      }
      xml.append("</member>");
    }
    xml.append("</MetricDataResults>");
    if (answer.nextToken() != null) {
      xml.append("<NextToken>").append(answer.nextToken()).append("</NextToken>");
    }
    xml.append("<Messages/></GetMetricDataResult><ResponseMetadata><RequestId>sim</RequestId></ResponseMetadata></GetMetricDataResponse>");
    return AwsResponse.xml(200, xml.toString());
  }

  /** Which API a REST {@code ApiName} belongs to, so deleted APIs stop producing data. */
  private String apiIdOf(String region, Map<String, String> dimensions) {
    String apiId = dimensions.get("ApiId");
    if (apiId != null) {
      return apiId;
    }
    String apiName = dimensions.get("ApiName");
    String restId = account.restApiIdByCloudWatchName(region, apiName);
    return restId == null ? "deleted:" + apiName : restId;
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  private static int parseToken(String token) {
    if (token == null || token.isEmpty()) {
      return 0;
    }
    return Integer.parseInt(token.substring(token.indexOf('-') + 1));
  }

  private static long floorDiv(long a, long b) {
    return Math.floorDiv(a, b);
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }
}
