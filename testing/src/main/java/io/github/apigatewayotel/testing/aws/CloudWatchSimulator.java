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
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * CloudWatch ({@code monitoring}) over a {@link SimulatedAccount}: ListMetrics and GetMetricData
 * with AWS's limits (500 series per ListMetrics page, 500 queries per GetMetricData call, a
 * datapoint budget per call with {@code PartialData} + NextToken beyond it), in each protocol real
 * CloudWatch accepts, chosen by the request ({@link CloudWatchProtocol}: awsQuery, AWS JSON 1.0,
 * Smithy RPC v2 CBOR). The protocols decode into one neutral model and encode one neutral answer,
 * so what follows is CloudWatch's behaviour, written once.
 */
public final class CloudWatchSimulator implements AwsServiceHandler {

  public static final int LIST_METRICS_PAGE_SIZE = 500;
  public static final int MAX_QUERIES_PER_CALL = 500;
  /** CloudWatch returns at most 100,800 datapoints per GetMetricData call. */
  public static final int MAX_DATAPOINTS_PER_CALL = 100_800;

  private static final String NAMESPACE = "AWS/ApiGateway";
  private static final Pattern QUERY_ID = Pattern.compile("^[a-z][a-zA-Z0-9_]*$");

  private final SimulatedAccount account;
  private volatile int datapointsPerCall = MAX_DATAPOINTS_PER_CALL;
  /** Metric names whose queries answer {@code InternalError} with a message, as CloudWatch can. */
  private final Set<String> failingMetrics = ConcurrentHashMap.newKeySet();
  private final AtomicLong queriesReceived = new AtomicLong();
  private final AtomicLong datapointsReturned = new AtomicLong();
  private final Map<CloudWatchProtocol, AtomicLong> requestsByProtocol = new EnumMap<>(CloudWatchProtocol.class);

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
        case "ListMetrics" -> codec.encode(listMetrics(request.region(), codec.listMetrics(request)));
        case "GetMetricData" -> codec.encode(getMetricData(request.region(), codec.getMetricData(request)));
        default -> throw new CloudWatchError(400, "Sender", "InvalidAction", "unsupported action " + operation);
      };
    } catch (CloudWatchError error) {
      return codec.encode(error);
    }
  }

  private ListMetricsResult listMetrics(String region, ListMetricsRequest request) {
    List<SimulatedAccount.Series> all;
    if (request.namespace() != null && !request.namespace().equals(NAMESPACE)) {
      all = List.of();
    } else if (request.metricName() == null && request.dimensions().isEmpty()) {
      all = account.series(region); // cached; pages index into it
    } else {
      all = new ArrayList<>();
      for (SimulatedAccount.Series series : account.series(region)) {
        if ((request.metricName() == null || request.metricName().equals(series.metricName()))
            && matches(series.dimensions(), request.dimensions())) {
          all.add(series);
        }
      }
    }
    int start = parseToken(request.nextToken());
    int end = Math.min(all.size(), start + LIST_METRICS_PAGE_SIZE);
    List<Metric> metrics = new ArrayList<>(end - start);
    for (int i = start; i < end; i++) {
      SimulatedAccount.Series series = all.get(i);
      List<Dimension> dimensions = new ArrayList<>(series.dimensions().size());
      series.dimensions().forEach((name, value) -> dimensions.add(new Dimension(name, value)));
      metrics.add(new Metric(NAMESPACE, series.metricName(), dimensions));
    }
    return new ListMetricsResult(metrics, List.of(), end < all.size() ? "lm-" + end : null);
  }

  /** A series matches a filter when it has each filtered dimension (with the value, when one is given). */
  private static boolean matches(Map<String, String> dimensions, List<Dimension> filters) {
    for (Dimension filter : filters) {
      String value = dimensions.get(filter.name());
      if (value == null || (filter.value() != null && !filter.value().equals(value))) {
        return false;
      }
    }
    return true;
  }

  private record Query(String id, SimulatedAccount.Series series, String stat, int period) {}

  private GetMetricDataResult getMetricData(String region, GetMetricDataRequest request) {
    List<Query> queries = new ArrayList<>(request.queries().size());
    for (MetricDataQuery query : request.queries()) {
      queries.add(query(region, query));
    }
    if (queries.isEmpty() || queries.size() > MAX_QUERIES_PER_CALL) {
      throw CloudWatchError.validation(
          "MetricDataQueries must hold 1 to " + MAX_QUERIES_PER_CALL + " queries, got " + queries.size());
    }
    if (request.startTime() == null || request.endTime() == null) {
      throw CloudWatchError.validation("StartTime and EndTime are required");
    }
    queriesReceived.addAndGet(queries.size());
    Instant startTime = request.startTime();
    Instant endTime = request.endTime();
    int skip = parseToken(request.nextToken());
    int budget = datapointsPerCall;
    int position = 0; // datapoints enumerated across all queries, for the NextToken
    boolean truncated = false;
    List<MetricDataResult> results = new ArrayList<>(queries.size());
    for (Query query : queries) {
      String label = query.series().metricName();
      if (failingMetrics.contains(label)) {
        results.add(new MetricDataResult(query.id(), label, List.of(), List.of(), "InternalError",
            List.of(new MessageData("InternalError", "simulated internal error"))));
        continue;
      }
      List<Instant> times = new ArrayList<>();
      List<Double> values = new ArrayList<>();
      String status = "Complete";
      long periodSeconds = query.period();
      long first = ceilDiv(startTime.getEpochSecond(), periodSeconds) * periodSeconds;
      // TimestampDescending, CloudWatch's default order
      for (long t = Math.floorDiv(endTime.getEpochSecond() - 1, periodSeconds) * periodSeconds; t >= first; t -= periodSeconds) {
        OptionalDouble value = account.datapoint(query.series(), query.stat(), Instant.ofEpochSecond(t), query.period());
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
      results.add(new MetricDataResult(query.id(), label, times, values, status, List.of()));
    }
    return new GetMetricDataResult(results, List.of(), truncated ? "gmd-" + (skip + datapointsPerCall) : null);
  }

  private Query query(String region, MetricDataQuery query) {
    String id = query.id();
    if (id == null || !QUERY_ID.matcher(id).matches()) {
      throw CloudWatchError.validation("invalid query id " + id);
    }
    if (query.metric() == null || !NAMESPACE.equals(query.metric().namespace())) {
      throw CloudWatchError.validation("query " + id + ": namespace must be " + NAMESPACE);
    }
    if (query.stat() == null || query.period() == null) {
      throw CloudWatchError.validation("query " + id + " needs MetricStat.Stat and Period");
    }
    Map<String, String> dimensions = new TreeMap<>();
    query.metric().dimensions().forEach(d -> dimensions.put(d.name(), d.value()));
    return new Query(id, new SimulatedAccount.Series(region, apiIdOf(region, dimensions),
        query.metric().metricName(), dimensions), query.stat(), query.period());
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

  private static int parseToken(String token) {
    if (token == null || token.isEmpty()) {
      return 0;
    }
    try {
      return Integer.parseInt(token.substring(token.indexOf('-') + 1));
    } catch (NumberFormatException e) {
      throw new CloudWatchError(400, "Sender", "InvalidNextToken", "The service cannot process the NextToken");
    }
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }
}
