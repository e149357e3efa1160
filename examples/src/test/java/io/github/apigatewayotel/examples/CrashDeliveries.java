package io.github.apigatewayotel.examples;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Everything the backend received, in arrival order, sorted by the host that sent it (host 0 ran
 * before the first kill, host k after kill k): records by request id, datapoints by metric,
 * attributes and period.
 */
final class CrashDeliveries {

  static final String AFTER_LAST_KILL = "after the last kill";

  private final Map<String, Integer> records = new HashMap<>();
  private final Map<Integer, Integer> repeatedRecordsPerHost = new TreeMap<>();
  private final Map<String, Integer> repeatedRecordsPerSource = new TreeMap<>();
  private final Map<String, List<Integer>> lostLines = new HashMap<>();
  private final Map<String, Integer> points = new HashMap<>();
  private final Map<String, long[]> periodRangeByMetric = new HashMap<>();
  private final Map<Integer, Integer> repeatedPointsPerHost = new TreeMap<>();
  private final Map<Integer, Integer> largestMetricsExport = new HashMap<>();
  private final List<CrashRestartIT.Kill> kills;
  private int recordCount;
  private int pointCount;
  private int unidentified;
  private long sdkDroppedRecords;

  CrashDeliveries(
      List<ExportLogsServiceRequest> logRequests,
      List<ExportMetricsServiceRequest> metricRequests,
      List<CrashRestartIT.Kill> kills) {
    this.kills = kills;
    for (int index = 0; index < logRequests.size(); index++) {
      int host = hostOf(index, CrashRestartIT.Kill::logRequests);
      for (ResourceLogs resourceLogs : logRequests.get(index).getResourceLogsList()) {
        for (ScopeLogs scopeLogs : resourceLogs.getScopeLogsList()) {
          for (LogRecord record : scopeLogs.getLogRecordsList()) {
            countRecord(host, record);
          }
        }
      }
    }
    for (int index = 0; index < metricRequests.size(); index++) {
      int host = hostOf(index, CrashRestartIT.Kill::metricRequests);
      int pointsInRequest = 0;
      for (ResourceMetrics resourceMetrics : metricRequests.get(index).getResourceMetricsList()) {
        for (ScopeMetrics scopeMetrics : resourceMetrics.getScopeMetricsList()) {
          for (Metric metric : scopeMetrics.getMetricsList()) {
            if (metric.getName().startsWith("aws.apigateway.")) {
              List<NumberDataPoint> points = dataPoints(metric);
              pointsInRequest += points.size();
              points.forEach(point -> countPoint(host, metric.getName(), point));
            } else {
              countSdkDrops(metric);
            }
          }
        }
      }
      largestMetricsExport.merge(host, pointsInRequest, Math::max);
    }
  }

  /** The most API Gateway datapoints one metrics export of host {@code host} carried. */
  int largestMetricsExport(int host) {
    return largestMetricsExport.getOrDefault(host, 0);
  }

  /** Requests that arrived before kill k's snapshot came from hosts before it. */
  private int hostOf(int requestIndex, Function<CrashRestartIT.Kill, Integer> requestsAtKill) {
    int host = 0;
    for (CrashRestartIT.Kill kill : kills) {
      if (requestIndex >= requestsAtKill.apply(kill)) {
        host = kill.number();
      }
    }
    return host;
  }

  private void countRecord(int host, LogRecord record) {
    recordCount++;
    String id = attribute(record.getAttributesList(), "aws.request_id");
    if (id.isEmpty()) {
      unidentified++;
    } else if (records.merge(id, 1, Integer::sum) > 1) {
      repeatedRecordsPerHost.merge(host, 1, Integer::sum);
      repeatedRecordsPerSource.merge(id.substring(0, id.indexOf('-')), 1, Integer::sum);
    }
  }

  private void countPoint(int host, String metric, NumberDataPoint point) {
    pointCount++;
    Map<String, String> attributes = new TreeMap<>();
    point.getAttributesList().forEach(kv -> attributes.put(kv.getKey(), kv.getValue().toString()));
    String key = metric + attributes + point.getStartTimeUnixNano() + "/" + point.getTimeUnixNano();
    if (points.merge(key, 1, Integer::sum) > 1) {
      repeatedPointsPerHost.merge(host, 1, Integer::sum);
    }
    long[] range =
        periodRangeByMetric.computeIfAbsent(metric, name -> new long[] {Long.MAX_VALUE, 0});
    range[0] = Math.min(range[0], point.getTimeUnixNano());
    range[1] = Math.max(range[1], point.getTimeUnixNano());
  }

  /**
   * The SDK's own count of log records its batch processor dropped because its queue was full
   * (legacy {@code processedLogs{dropped=true}} or semconv {@code otel.sdk.processor.log.processed}
   * with an {@code error.type}); delta, so summed. A lower bound: a killed host never exports its
   * last count.
   */
  private void countSdkDrops(Metric metric) {
    boolean legacy = metric.getName().equals("processedLogs");
    boolean semconv = metric.getName().equals("otel.sdk.processor.log.processed");
    if (!legacy && !semconv) {
      return;
    }
    for (NumberDataPoint point : dataPoints(metric)) {
      boolean dropped =
          point.getAttributesList().stream()
              .anyMatch(
                  kv ->
                      legacy
                          ? kv.getKey().equals("dropped") && kv.getValue().getBoolValue()
                          : kv.getKey().equals("error.type"));
      if (dropped) {
        sdkDroppedRecords += point.getAsInt();
      }
    }
  }

  long sdkDroppedRecords() {
    return sdkDroppedRecords;
  }

  static List<NumberDataPoint> dataPoints(Metric metric) {
    return metric.hasSum()
        ? metric.getSum().getDataPointsList()
        : metric.hasGauge() ? metric.getGauge().getDataPointsList() : List.of();
  }

  private static String attribute(List<KeyValue> attributes, String key) {
    for (KeyValue kv : attributes) {
      if (kv.getKey().equals(key)) {
        return kv.getValue().getStringValue();
      }
    }
    return "";
  }

  /**
   * Lines of {@code source} never received, keyed by the first kill they were written before (the
   * kill that lost them), or {@link #AFTER_LAST_KILL}.
   */
  Map<String, Integer> lostPerKill(
      String source, int lines, Function<CrashRestartIT.Kill, Integer> writtenAtKill) {
    Map<String, Integer> lost = new TreeMap<>();
    for (int line = 1; line <= lines; line++) {
      if (!records.containsKey(CrashLineWriter.requestId(source, line))) {
        String when = AFTER_LAST_KILL;
        for (CrashRestartIT.Kill kill : kills) {
          if (line <= writtenAtKill.apply(kill)) {
            when = "kill " + kill.number();
            break;
          }
        }
        lost.merge(when, 1, Integer::sum);
        lostLines.computeIfAbsent(source, name -> new ArrayList<>()).add(line);
      }
    }
    return lost;
  }

  /** The lost lines of {@code source} as runs of consecutive numbers, e.g. {@code 1201-1733}. */
  String lostRuns(String source) {
    List<String> runs = new ArrayList<>();
    List<Integer> lines = lostLines.getOrDefault(source, List.of());
    for (int start = 0; start < lines.size(); ) {
      int end = start;
      while (end + 1 < lines.size() && lines.get(end + 1) == lines.get(end) + 1) {
        end++;
      }
      runs.add(lines.get(start) + (end > start ? "-" + lines.get(end) : ""));
      start = end + 1;
    }
    return runs.toString();
  }

  /**
   * Points of {@code expected} missing here, among the periods this run covered (per metric, from
   * its first to its last period received: the reference run looked back from a later moment).
   */
  int missingPoints(Set<String> expected) {
    int missing = 0;
    for (String key : expected) {
      String metric = key.substring(0, key.indexOf('{'));
      long time = Long.parseLong(key.substring(key.lastIndexOf('/') + 1));
      long[] range = periodRangeByMetric.get(metric);
      boolean covered = range != null && time >= range[0] && time <= range[1];
      if ((covered || range == null) && !points.containsKey(key)) {
        missing++;
      }
    }
    return missing;
  }

  int recordCount() {
    return recordCount;
  }

  int distinctRecords() {
    return records.size();
  }

  int unidentified() {
    return unidentified;
  }

  int repeatedRecords() {
    return repeatedRecordsPerHost.values().stream().mapToInt(Integer::intValue).sum();
  }

  Map<String, Integer> repeatedRecordsPerSource() {
    return repeatedRecordsPerSource;
  }

  int repeatedRecords(int host) {
    return repeatedRecordsPerHost.getOrDefault(host, 0);
  }

  int pointCount() {
    return pointCount;
  }

  Set<String> pointKeys() {
    return new HashSet<>(points.keySet());
  }

  int repeatedPoints() {
    return repeatedPointsPerHost.values().stream().mapToInt(Integer::intValue).sum();
  }

  Map<Integer, Integer> repeatedPointsPerHost() {
    return repeatedPointsPerHost;
  }
}
