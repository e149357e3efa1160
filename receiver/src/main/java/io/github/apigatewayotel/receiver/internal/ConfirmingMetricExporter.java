package io.github.apigatewayotel.receiver.internal;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.util.Collection;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The host's metric exporter, telling a listener how each export ended; otherwise unchanged.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class ConfirmingMetricExporter implements MetricExporter {

  private static final Logger logger = Logger.getLogger(ConfirmingMetricExporter.class.getName());

  private final MetricExporter delegate;
  private final MetricExportListener listener;
  private final Function<Throwable, String> permanentRejection;

  public ConfirmingMetricExporter(MetricExporter delegate, MetricExportListener listener) {
    this(delegate, listener, failure -> null);
  }

  /** {@code permanentRejection}: how the backend rejected a failed export for good, or null. */
  public ConfirmingMetricExporter(
      MetricExporter delegate,
      MetricExportListener listener,
      Function<Throwable, String> permanentRejection) {
    this.delegate = delegate;
    this.listener = listener;
    this.permanentRejection = permanentRejection;
  }

  @Override
  public CompletableResultCode export(Collection<MetricData> metrics) {
    CompletableResultCode result;
    try {
      result = delegate.export(metrics);
    } catch (RuntimeException e) {
      tell(metrics, false, e);
      throw e;
    }
    result.whenComplete(() -> tell(metrics, result.isSuccess(), result.getFailureThrowable()));
    return result;
  }

  private void tell(Collection<MetricData> metrics, boolean success, Throwable failure) {
    try {
      String rejection = success ? null : permanentRejection.apply(failure);
      if (rejection != null) {
        listener.rejected(metrics, rejection);
      } else {
        listener.exported(metrics, success);
      }
    } catch (RuntimeException e) { // the export itself must not fail for the receiver's sake
      logger.log(Level.WARNING, "apigateway-otel receiver: export confirmation failed", e);
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
