package io.github.apigatewayotel.logs.internal.red;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.semconv.incubating.HttpIncubatingMetrics;
import java.util.ArrayList;
import java.util.List;

/**
 * The points of one collection, gathered series by series and turned into the four request metrics:
 * the semantic conventions' {@code http.server.request.duration} and {@code
 * http.server.response.body.size}, and, named in their style, {@code
 * aws.apigateway.integration.duration} (the backend's share of the duration) and {@code
 * aws.apigateway.requests} (one per line, also for formats without a latency).
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
final class PointBatch {

  static final String INTEGRATION_DURATION = "aws.apigateway.integration.duration";
  static final String REQUESTS = "aws.apigateway.requests";

  private final List<HistogramPointData> durations = new ArrayList<>();
  private final List<HistogramPointData> integrations = new ArrayList<>();
  private final List<HistogramPointData> bodySizes = new ArrayList<>();
  private final List<LongPointData> requests = new ArrayList<>();

  /** Adds the points of one series over {@code [startNanos, endNanos)}. */
  void add(Attributes attributes, SeriesValues values, long startNanos, long endNanos) {
    requests.add(new LongPointRecord(startNanos, endNanos, attributes, values.requests()));
    if (values.duration() != null) {
      durations.add(values.duration().point(startNanos, endNanos, attributes));
    }
    if (values.integration() != null) {
      integrations.add(values.integration().point(startNanos, endNanos, attributes));
    }
    if (values.bodySize() != null) {
      bodySizes.add(values.bodySize().point(startNanos, endNanos, attributes));
    }
  }

  boolean isEmpty() {
    return requests.isEmpty();
  }

  List<MetricData> toMetricData(
      Resource resource, InstrumentationScopeInfo scope, AggregationTemporality temporality) {
    List<MetricData> metrics = new ArrayList<>(4);
    if (!durations.isEmpty()) {
      metrics.add(
          MetricDataRecord.histogram(
              resource,
              scope,
              HttpIncubatingMetrics.HTTP_SERVER_REQUEST_DURATION_NAME,
              HttpIncubatingMetrics.HTTP_SERVER_REQUEST_DURATION_DESCRIPTION
                  + " From API Gateway's access log ($context.responseLatency).",
              HttpIncubatingMetrics.HTTP_SERVER_REQUEST_DURATION_UNIT,
              temporality,
              durations));
    }
    if (!bodySizes.isEmpty()) {
      metrics.add(
          MetricDataRecord.histogram(
              resource,
              scope,
              HttpIncubatingMetrics.HTTP_SERVER_RESPONSE_BODY_SIZE_NAME,
              HttpIncubatingMetrics.HTTP_SERVER_RESPONSE_BODY_SIZE_DESCRIPTION
                  + " From API Gateway's access log ($context.responseLength).",
              HttpIncubatingMetrics.HTTP_SERVER_RESPONSE_BODY_SIZE_UNIT,
              temporality,
              bodySizes));
    }
    if (!integrations.isEmpty()) {
      metrics.add(
          MetricDataRecord.histogram(
              resource,
              scope,
              INTEGRATION_DURATION,
              "Time API Gateway waited for the integration (the backend) of a request, from its"
                  + " access log ($context.integrationLatency).",
              "s",
              temporality,
              integrations));
    }
    if (!requests.isEmpty()) {
      metrics.add(
          MetricDataRecord.monotonicLongSum(
              resource,
              scope,
              REQUESTS,
              "Requests API Gateway served, one per access-log line, in the minute each was made.",
              "{request}",
              temporality,
              requests));
    }
    return metrics;
  }
}
