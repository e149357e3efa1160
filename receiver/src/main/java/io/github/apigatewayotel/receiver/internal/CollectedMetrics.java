package io.github.apigatewayotel.receiver.internal;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Turns what a reader collects into the SDK's metric data, with CloudWatch's times: for a push
 * reader each pending datapoint as its own point (a delta Sum spans [period start, period end), a
 * cumulative Sum [first period start, period end), a Gauge is stamped at the period start); for a
 * pull reader each query's {@link LatestValues latest value}, one point per label set.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
final class CollectedMetrics {

  private final InstrumentationScopeInfo scope;
  private final AggregationTemporality pushSumTemporality;
  private final long periodSeconds;

  CollectedMetrics(
      InstrumentationScopeInfo scope,
      AggregationTemporality pushSumTemporality,
      long periodSeconds) {
    this.scope = scope;
    this.pushSumTemporality = pushSumTemporality;
    this.periodSeconds = periodSeconds;
  }

  /** A push reader's metric: every point of {@code batch}, in order. */
  MetricData pushed(Resource resource, PendingBatch batch) {
    MetricDescriptor d = batch.descriptor;
    boolean cumulative = pushSumTemporality == AggregationTemporality.CUMULATIVE;
    List<DoublePointData> points = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      PlannedQuery query = batch.query(i);
      long start = TimeUnit.SECONDS.toNanos(batch.periodStart(i));
      long end = TimeUnit.SECONDS.toNanos(batch.periodStart(i) + periodSeconds);
      Attributes attributes = query.series.attributes();
      if (!d.monotonicSum()) {
        points.add(
            new DoublePoint(start, start, attributes, batch.value(i))); // at the period start
      } else if (cumulative) {
        points.add(
            new DoublePoint(
                TimeUnit.SECONDS.toNanos(query.cumulativeStart), end, attributes, batch.value(i)));
      } else {
        points.add(new DoublePoint(start, end, attributes, batch.value(i)));
      }
    }
    return metric(resource, d, pushSumTemporality, points);
  }

  /** Collects a pull reader's metrics, one point per metric and label set. */
  final class Pulled {
    private final Map<String, MetricDescriptor> descriptors = new LinkedHashMap<>();
    private final Map<String, List<DoublePointData>> points = new LinkedHashMap<>();
    private final Map<String, Set<Attributes>> labelSets = new LinkedHashMap<>();

    /**
     * Adds {@code entry} showing {@code value}; false when another query of the metric already
     * showed the same attributes (one label set, one value, or the exporter drops the metric).
     */
    boolean add(LatestValues.Entry entry, double value) {
      MetricDescriptor d = entry.query.descriptor;
      Attributes attributes = entry.query.series.attributes();
      if (!labelSets.computeIfAbsent(d.otelName(), n -> new HashSet<>()).add(attributes)) {
        return false;
      }
      descriptors.putIfAbsent(d.otelName(), d);
      long latest = TimeUnit.SECONDS.toNanos(entry.latestPeriod);
      DoublePoint point =
          d.monotonicSum()
              ? new DoublePoint(
                  TimeUnit.SECONDS.toNanos(entry.firstPeriod),
                  TimeUnit.SECONDS.toNanos(entry.latestPeriod + periodSeconds),
                  attributes,
                  value)
              : new DoublePoint(latest, latest, attributes, value);
      points.computeIfAbsent(d.otelName(), n -> new ArrayList<>()).add(point);
      return true;
    }

    /**
     * The metrics: counters cumulative whatever the push readers' temporality (Prometheus drops
     * delta sums).
     */
    List<MetricData> metrics(Resource resource) {
      List<MetricData> metrics = new ArrayList<>(points.size());
      points.forEach(
          (name, list) ->
              metrics.add(
                  metric(
                      resource, descriptors.get(name), AggregationTemporality.CUMULATIVE, list)));
      return metrics;
    }
  }

  Pulled pulled() {
    return new Pulled();
  }

  private MetricData metric(
      Resource resource,
      MetricDescriptor d,
      AggregationTemporality temporality,
      List<DoublePointData> points) {
    if (d.monotonicSum()) {
      return new ReceiverMetricData(
          resource,
          scope,
          d.otelName(),
          d.description(),
          d.unit(),
          MetricDataType.DOUBLE_SUM,
          new DoubleSum(true, temporality, points));
    }
    return new ReceiverMetricData(
        resource,
        scope,
        d.otelName(),
        d.description(),
        d.unit(),
        MetricDataType.DOUBLE_GAUGE,
        new DoubleGauge(points));
  }
}
