package io.github.apigatewayotel.examples.demo;

import io.opentelemetry.api.common.Attributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the demo has exported so far, per API, stage and route: the numbers the live view shows. Fed
 * by the live view's exporters on the SDK's export threads, read by the screen's thread.
 */
final class LiveViewTable {

  /**
   * Requests: REST and HTTP {@code Count}; WebSocket {@code MessageCount} and {@code ConnectCount}.
   */
  static final Set<String> REQUEST_METRICS =
      Set.of(
          "aws.apigateway.count",
          "aws.apigateway.message_count.sum",
          "aws.apigateway.connect_count.sum");

  /** Client errors: REST {@code 4XXError}, HTTP {@code 4xx}, WebSocket {@code ClientError}. */
  static final Set<String> CLIENT_ERROR_METRICS =
      Set.of("aws.apigateway.4xxerror", "aws.apigateway.4xx", "aws.apigateway.client_error.sum");

  /**
   * Server errors: REST {@code 5XXError}, HTTP {@code 5xx}, WebSocket execution and integration
   * errors.
   */
  static final Set<String> SERVER_ERROR_METRICS =
      Set.of(
          "aws.apigateway.5xxerror",
          "aws.apigateway.5xx",
          "aws.apigateway.execution_error.sum",
          "aws.apigateway.integration_error.sum");

  /**
   * p99 latency: {@code Latency} where the API type has it, else {@code IntegrationLatency}
   * (WebSocket).
   */
  static final String P99_METRIC = "aws.apigateway.latency.p99";

  static final String INTEGRATION_P99_METRIC = "aws.apigateway.integration_latency.p99";

  /**
   * One row as the screen shows it. {@code p99Millis} is NaN until a value arrived; {@code
   * lastUpdateMillis} is the time of the newest data (a CloudWatch period, a request), 0 for none.
   */
  record Row(
      RouteKey key,
      String apiName,
      String apiType,
      double requests,
      double clientErrors,
      double serverErrors,
      double p99Millis,
      long logLines,
      long lastUpdateMillis) {}

  /** Everything exported so far, for the screen. */
  record Snapshot(List<Row> rows, long metricPoints, long logRecords, long exports) {
    boolean isEmpty() {
      return metricPoints == 0 && logRecords == 0;
    }
  }

  private static final class RowState {
    String apiName;
    String apiType;

    /** Per metric name: the running total (delta points added, cumulative points replacing). */
    final Map<String, Double> totals = new HashMap<>();

    /** Per gauge name: the latest value and its time. */
    final Map<String, double[]> latest = new HashMap<>();

    long lastUpdateMillis;

    void updatedAt(long epochNanos) {
      lastUpdateMillis = Math.max(lastUpdateMillis, epochNanos / NANOS_PER_MILLI);
    }
  }

  private static final long NANOS_PER_MILLI = 1_000_000;
  private final Map<RouteKey, RowState> rows = new TreeMap<>(RouteKey.ORDER);

  /** Log lines per stage and per route as the log records name it ({@code GET /pets/{petId}}). */
  private final Map<RouteKey, LogTally> logs = new HashMap<>();

  private long metricPoints;
  private long logRecords;
  private long exports;
  private long version;

  /**
   * A monotonic Sum point ending at {@code epochNanos}: {@code cumulative} totals replace, delta
   * ones add up.
   */
  synchronized void addSum(
      String metric, Attributes attributes, double value, boolean cumulative, long epochNanos) {
    RowState row = row(attributes, epochNanos);
    if (row == null) {
      return;
    }
    row.totals.merge(metric, value, cumulative ? (old, latest) -> latest : Double::sum);
  }

  /** A Gauge point stamped {@code epochNanos}: the latest by time wins. */
  synchronized void addGauge(String metric, Attributes attributes, double value, long epochNanos) {
    RowState row = row(attributes, epochNanos);
    if (row == null) {
      return;
    }
    double[] current = row.latest.get(metric);
    if (current == null || epochNanos >= current[1]) {
      row.latest.put(metric, new double[] {value, epochNanos});
    }
  }

  /** One access-log record of a request at {@code epochNanos}, counted on its stage and route. */
  synchronized void addLogRecord(Attributes attributes, long epochNanos) {
    RouteKey key = TelemetryAttributes.rowOf(attributes);
    if (key == null) {
      return;
    }
    logRecords++;
    version++;
    rows.computeIfAbsent(key.stageKey(), k -> new RowState());
    long millis = epochNanos / NANOS_PER_MILLI;
    logs.computeIfAbsent(key.stageKey(), k -> new LogTally()).add(millis);
    if (!key.isStage()) {
      logs.computeIfAbsent(key, k -> new LogTally()).add(millis);
    }
  }

  /** Lines counted on one row, and the request time of its newest, in milliseconds. */
  private static final class LogTally {
    long lines;
    long newestMillis;

    void add(long millis) {
      lines++;
      newestMillis = Math.max(newestMillis, millis);
    }

    void add(LogTally other) {
      lines += other.lines;
      newestMillis = Math.max(newestMillis, other.newestMillis);
    }
  }

  /** One export of {@code points} metric points, shown or not. */
  synchronized void exportFinished(long points) {
    exports++;
    metricPoints += points;
  }

  /** Changes whenever a number the screen shows changes. */
  synchronized long version() {
    return version;
  }

  synchronized Snapshot snapshot() {
    List<Row> result = new ArrayList<>();
    for (Map.Entry<RouteKey, RowState> entry : rows.entrySet()) {
      RouteKey key = entry.getKey();
      RowState state = entry.getValue();
      LogTally logTally = logsOf(key);
      result.add(
          new Row(
              key,
              state.apiName == null ? key.apiId() : state.apiName,
              state.apiType == null ? "" : state.apiType,
              sum(state, REQUEST_METRICS),
              sum(state, CLIENT_ERROR_METRICS),
              sum(state, SERVER_ERROR_METRICS),
              p99(state),
              logTally.lines,
              Math.max(state.lastUpdateMillis, logTally.newestMillis)));
    }
    return new Snapshot(List.copyOf(result), metricPoints, logRecords, exports);
  }

  private RowState row(Attributes attributes, long epochNanos) {
    RouteKey key = TelemetryAttributes.rowOf(attributes);
    if (key == null) {
      return null;
    }
    RowState row = rows.computeIfAbsent(key, k -> new RowState());
    String name = attributes.get(TelemetryAttributes.API_NAME);
    if (name != null) {
      row.apiName = name;
    }
    String type = attributes.get(TelemetryAttributes.API_TYPE);
    if (type != null) {
      row.apiType = type;
    }
    row.updatedAt(epochNanos);
    version++;
    return row;
  }

  /**
   * The log lines of a row, counted and dated by the one same look-up: a stage or route as the
   * records name it, and for a catch-all route ({@code ANY /{proxy+}}) every method's lines of its
   * path, since the records name the method the request used.
   */
  private LogTally logsOf(RouteKey key) {
    LogTally exact = logs.get(key);
    if (key.isStage() || exact != null) {
      return exact == null ? new LogTally() : exact;
    }
    LogTally total = new LogTally();
    int space = key.route().indexOf(' ');
    if (space < 0 || !key.route().startsWith(TelemetryAttributes.ANY_METHOD + " ")) {
      return total;
    }
    String path = key.route().substring(space);
    for (Map.Entry<RouteKey, LogTally> entry : logs.entrySet()) {
      RouteKey logged = entry.getKey();
      if (!logged.isStage()
          && logged.apiId().equals(key.apiId())
          && logged.stage().equals(key.stage())
          && logged.route().endsWith(path)
          && logged.route().indexOf(' ') == logged.route().length() - path.length()) {
        total.add(entry.getValue());
      }
    }
    return total;
  }

  private static double sum(RowState state, Set<String> metrics) {
    double total = 0;
    for (String metric : metrics) {
      total += state.totals.getOrDefault(metric, 0.0);
    }
    return total;
  }

  private static double p99(RowState state) {
    double[] value = state.latest.get(P99_METRIC);
    if (value == null) {
      value = state.latest.get(INTEGRATION_P99_METRIC);
    }
    return value == null ? Double.NaN : value[0];
  }
}
