package io.github.apigatewayotel.receiver.internal;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.util.Collection;
import java.util.logging.Level;

/** The host's metric exporter, telling a listener how each export ended; otherwise unchanged. */
public final class ConfirmingMetricExporter implements MetricExporter {

  private final MetricExporter delegate;
  private final MetricExportListener listener;

  public ConfirmingMetricExporter(MetricExporter delegate, MetricExportListener listener) {
    this.delegate = delegate;
    this.listener = listener;
  }

  @Override
  public CompletableResultCode export(Collection<MetricData> metrics) {
    CompletableResultCode result;
    try {
      result = delegate.export(metrics);
    } catch (RuntimeException e) {
      tell(metrics, false);
      throw e;
    }
    result.whenComplete(() -> tell(metrics, result.isSuccess()));
    return result;
  }

  private void tell(Collection<MetricData> metrics, boolean success) {
    try {
      listener.exported(metrics, success);
    } catch (RuntimeException e) { // the export itself must not fail for the receiver's sake
      ProblemLog.logger().log(Level.WARNING, "apigateway-otel receiver: export confirmation failed", e);
    }
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
    return delegate.shutdown();
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
