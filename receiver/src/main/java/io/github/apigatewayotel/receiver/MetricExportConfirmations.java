package io.github.apigatewayotel.receiver;

import io.github.apigatewayotel.receiver.internal.ConfirmingMetricExporter;
import io.github.apigatewayotel.receiver.internal.MetricExportListener;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.util.Collection;
import java.util.Objects;
import java.util.function.Function;

/**
 * Makes the receiver count a datapoint as exported only when the host's exporter says so: wrap the
 * host's {@link MetricExporter} with {@link #wrap} and give this to the receiver's builder. Points
 * of a failed export (backend down, 503, UNAVAILABLE) are offered again at the next collection
 * (those the backend rejects for good, with a {@link #create(Function) classifier}, only a few
 * times), with their CloudWatch timestamps, and the high-water marks persisted in the state
 * directory only move past exported points, so neither an outage nor a crash loses a period.
 * Without it, a point counts as exported once the metric reader has collected it.
 */
public final class MetricExportConfirmations {

  private final Function<Throwable, String> permanentRejection;
  private volatile MetricExportListener listener;

  private MetricExportConfirmations(Function<Throwable, String> permanentRejection) {
    this.permanentRejection = permanentRejection;
  }

  /**
   * Confirmations for which no failed export is permanent: its points leave again until exported.
   */
  public static MetricExportConfirmations create() {
    return create(failure -> null);
  }

  /**
   * Confirmations where {@code permanentRejection} tells which failed exports the backend rejected
   * for good: it returns a description (status and fix), or null for a failure that may pass (an
   * outage). Points rejected for good in {@value
   * io.github.apigatewayotel.receiver.internal.PendingPoints#MAX_REJECTED_ROUNDS} exports in a row
   * are given up (logged once with that description, counted in {@code
   * apigateway_otel.receiver.datapoints.rejected}) instead of being offered for ever.
   */
  public static MetricExportConfirmations create(Function<Throwable, String> permanentRejection) {
    return new MetricExportConfirmations(
        Objects.requireNonNull(permanentRejection, "permanentRejection"));
  }

  /** {@code exporter}, reporting each export's outcome to the receiver given this. */
  public MetricExporter wrap(MetricExporter exporter) {
    return new ConfirmingMetricExporter(
        Objects.requireNonNull(exporter, "exporter"),
        new MetricExportListener() {
          @Override
          public void exported(Collection<MetricData> metrics, boolean success) {
            MetricExportListener current = listener;
            if (current != null) {
              current.exported(metrics, success);
            }
          }

          @Override
          public void rejected(Collection<MetricData> metrics, String rejection) {
            MetricExportListener current = listener;
            if (current != null) {
              current.rejected(metrics, rejection);
            }
          }
        },
        permanentRejection);
  }

  void attach(MetricExportListener receiverListener) {
    if (listener != null) {
      throw new IllegalStateException("these confirmations already serve a receiver");
    }
    listener = receiverListener;
  }
}
