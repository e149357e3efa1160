package io.github.apigatewayotel.spi.internal;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.MetricProducer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Sends the receiver's datapoints with each export of the SDK's own metrics, under the SDK's
 * resource. The reader collects the SDK's instruments and hands them over; the receiver's producer,
 * which declarative configuration cannot register with the reader, is drained here instead. The
 * reader skips an export when the SDK has no metric at all; the plugin's own counters ({@code
 * apigateway_otel.*}) record on every poll, so a poll's datapoints leave with the next export.
 */
final class ReceiverPointsMetricExporter implements MetricExporter {

  private final MetricProducer receiver;
  private final MetricExporter delegate;
  private final ClosesWithSdk plugin;

  /** {@code plugin}: closed when the SDK shuts this exporter down, before the exporter itself. */
  ReceiverPointsMetricExporter(
      MetricProducer receiver, MetricExporter delegate, ClosesWithSdk plugin) {
    this.receiver = receiver;
    this.delegate = delegate;
    this.plugin = plugin;
  }

  @Override
  public CompletableResultCode export(Collection<MetricData> metrics) {
    if (metrics.isEmpty()) {
      return delegate.export(metrics);
    }
    Collection<MetricData> points = receiver.produce(metrics.iterator().next().getResource());
    if (points.isEmpty()) {
      return delegate.export(metrics);
    }
    List<MetricData> all = new ArrayList<>(metrics.size() + points.size());
    all.addAll(metrics);
    all.addAll(points);
    return delegate.export(all);
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
    return delegate.getAggregationTemporality(instrumentType);
  }

  @Override
  public Aggregation getDefaultAggregation(InstrumentType instrumentType) {
    return delegate.getDefaultAggregation(instrumentType);
  }

  @Override
  public MemoryMode getMemoryMode() {
    return delegate.getMemoryMode();
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return CompletableResultCode.ofAll(List.of(plugin.shutdown(), delegate.shutdown()));
  }
}
