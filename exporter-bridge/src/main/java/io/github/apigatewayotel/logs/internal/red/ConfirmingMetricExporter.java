package io.github.apigatewayotel.logs.internal.red;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.util.Collection;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The host's metric exporter, telling the request metrics how each export ended; otherwise
 * unchanged. The receiver has one of its own: the two modules know nothing of each other, and
 * {@code spi} wraps the host's exporter with both.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class ConfirmingMetricExporter implements MetricExporter {

  private static final Logger logger = Logger.getLogger(ConfirmingMetricExporter.class.getName());

  private final MetricExporter delegate;
  private final BiConsumer<Collection<MetricData>, Boolean> listener;

  public ConfirmingMetricExporter(
      MetricExporter delegate, BiConsumer<Collection<MetricData>, Boolean> listener) {
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
      listener.accept(metrics, success);
    } catch (RuntimeException e) { // the export itself must not fail for the metrics' sake
      logger.log(Level.WARNING, "apigateway-otel: request-metric export confirmation failed", e);
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
