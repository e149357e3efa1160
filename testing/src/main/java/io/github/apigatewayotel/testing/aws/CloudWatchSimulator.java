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
 * CloudWatch ({@code monitoring}, awsQuery) over a {@link SimulatedAccount}: ListMetrics and
 * GetMetricData with AWS's limits (500 series per ListMetrics page, 500 queries per GetMetricData
 * call, a datapoint budget per call with {@code PartialData} + NextToken beyond it).
 */
public final class CloudWatchSimulator implements AwsServiceHandler {

  public static final int LIST_METRICS_PAGE_SIZE = 500;
  public static final int MAX_QUERIES_PER_CALL = 500;
  /** CloudWatch returns at most 100,800 datapoints per GetMetricData call. */
  public static final int MAX_DATAPOINTS_PER_CALL = 100_800;

  private static final String NAMESPACE = "AWS/ApiGateway";
  private static final String XMLNS = "http://monitoring.amazonaws.com/doc/2010-08-01/";
  private static final Pattern QUERY_ID = Pattern.compile("^[a-z][a-zA-Z0-9_]*$");

  private final SimulatedAccount account;
  private volatile int datapointsPerCall = MAX_DATAPOINTS_PER_CALL;
  /** Metric names whose queries answer {@code InternalError} with a message, as CloudWatch can. */
  private final java.util.Set<String> failingMetrics = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final AtomicLong queriesReceived = new AtomicLong();
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

  /** Queries received by GetMetricData so far (what CloudWatch bills). */
  public long queriesReceived() {
    return queriesReceived.get();
  }

  public long datapointsReturned() {
    return datapointsReturned.get();
  }

  @Override
  public AwsResponse handle(AwsRequest request) {
    Map<String, String> form = request.formFields();
    String action = form.getOrDefault("Action", "");
    return switch (action) {
      case "ListMetrics" -> listMetrics(request.region(), form);
      case "GetMetricData" -> getMetricData(request.region(), form);
      default -> AwsResponse.queryError(400, "Sender", "InvalidAction", "unsupported action " + action);
    };
  }

  private AwsResponse listMetrics(String region, Map<String, String> form) {
    String namespace = form.get("Namespace");
    String metricName = form.get("MetricName");
    List<SimulatedAccount.Series> all;
    if (namespace != null && !namespace.equals(NAMESPACE)) {
      all = List.of();
    } else if (metricName == null) {
      all = account.series(region); // cached; pages index into it
    } else {
      all = new ArrayList<>();
      for (SimulatedAccount.Series series : account.series(region)) {
        if (metricName.equals(series.metricName())) {
          all.add(series);
        }
      }
    }
    int start = parseToken(form.get("NextToken"));
    int end = Math.min(all.size(), start + LIST_METRICS_PAGE_SIZE);
    StringBuilder xml = new StringBuilder(256 + 200 * (end - start));
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

  private record Query(String id, SimulatedAccount.Series series, String stat, int period) {}

  private AwsResponse getMetricData(String region, Map<String, String> form) {
    List<Query> queries = new ArrayList<>();
    for (int n = 1; form.containsKey("MetricDataQueries.member." + n + ".Id"); n++) {
      String prefix = "MetricDataQueries.member." + n + ".";
      String id = form.get(prefix + "Id");
      if (!QUERY_ID.matcher(id).matches()) {
        return AwsResponse.queryError(400, "Sender", "ValidationError", "invalid query id " + id);
      }
      String metricPrefix = prefix + "MetricStat.Metric.";
      if (!NAMESPACE.equals(form.get(metricPrefix + "Namespace"))) {
        return AwsResponse.queryError(400, "Sender", "ValidationError", "query " + id + ": namespace must be " + NAMESPACE);
      }
      Map<String, String> dimensions = new TreeMap<>();
      for (int d = 1; form.containsKey(metricPrefix + "Dimensions.member." + d + ".Name"); d++) {
        dimensions.put(form.get(metricPrefix + "Dimensions.member." + d + ".Name"),
            form.get(metricPrefix + "Dimensions.member." + d + ".Value"));
      }
      String stat = form.get(prefix + "MetricStat.Stat");
      String period = form.get(prefix + "MetricStat.Period");
      if (stat == null || period == null) {
        return AwsResponse.queryError(400, "Sender", "ValidationError", "query " + id + " needs MetricStat.Stat and Period");
      }
      queries.add(new Query(id, new SimulatedAccount.Series(region, apiIdOf(region, dimensions),
          form.get(metricPrefix + "MetricName"), dimensions), stat, Integer.parseInt(period)));
    }
    if (queries.isEmpty() || queries.size() > MAX_QUERIES_PER_CALL) {
      return AwsResponse.queryError(400, "Sender", "ValidationError",
          "MetricDataQueries must hold 1 to " + MAX_QUERIES_PER_CALL + " queries, got " + queries.size());
    }
    queriesReceived.addAndGet(queries.size());
    Instant startTime = Instant.parse(form.get("StartTime"));
    Instant endTime = Instant.parse(form.get("EndTime"));
    int skip = parseToken(form.get("NextToken"));
    int budget = datapointsPerCall;
    int position = 0; // datapoints enumerated across all queries, for the NextToken
    boolean truncated = false;
    StringBuilder xml = new StringBuilder(256 + 160 * queries.size());
    xml.append("<GetMetricDataResponse xmlns=\"").append(XMLNS).append("\"><GetMetricDataResult><MetricDataResults>");
    for (Query query : queries) {
      List<Instant> times = new ArrayList<>();
      List<Double> values = new ArrayList<>();
      String status = "Complete";
      if (failingMetrics.contains(query.series().metricName())) {
        xml.append("<member><Id>").append(query.id()).append("</Id><Label>").append(XmlText.xml(query.series().metricName()))
            .append("</Label><Timestamps/><Values/><StatusCode>InternalError</StatusCode><Messages><member><Code>InternalError</Code>"
                + "<Value>simulated internal error</Value></member></Messages></member>");
        continue;
      }
      long periodSeconds = query.period();
      long first = ceilDiv(startTime.getEpochSecond(), periodSeconds) * periodSeconds;
      // TimestampDescending, CloudWatch's default order
      for (long t = floorDiv(endTime.getEpochSecond() - 1, periodSeconds) * periodSeconds; t >= first; t -= periodSeconds) {
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
      xml.append("<member><Id>").append(query.id()).append("</Id><Label>")
          .append(XmlText.xml(query.series().metricName())).append("</Label><Timestamps>");
      for (Instant time : times) {
        xml.append("<member>").append(time).append("</member>");
      }
      xml.append("</Timestamps><Values>");
      for (Double value : values) {
        xml.append("<member>").append(value).append("</member>");
      }
      xml.append("</Values><StatusCode>").append(status).append("</StatusCode></member>");
    }
    xml.append("</MetricDataResults>");
    if (truncated) {
      xml.append("<NextToken>gmd-").append(skip + datapointsPerCall).append("</NextToken>");
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
