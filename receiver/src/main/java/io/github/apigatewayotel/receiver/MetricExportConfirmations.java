package io.github.apigatewayotel.receiver;

import io.github.apigatewayotel.receiver.internal.ConfirmingMetricExporter;
import io.github.apigatewayotel.receiver.internal.MetricExportListener;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.util.Objects;

/**
 * Makes the receiver count a datapoint as exported only when the host's exporter says so: wrap
 * the host's {@link MetricExporter} with {@link #wrap} and give this to the receiver's builder.
 * Points of a failed export (backend down, 503, UNAVAILABLE) are offered again at the next
 * collection, with their CloudWatch timestamps, and the high-water marks persisted in the state
 * directory only move past exported points, so neither an outage nor a crash loses a period.
 * Without it, a point counts as exported once the metric reader has collected it.
 */
public final class MetricExportConfirmations {

  private volatile MetricExportListener listener;

  private MetricExportConfirmations() {}

  public static MetricExportConfirmations create() {
    return new MetricExportConfirmations();
  }

  /** {@code exporter}, reporting each export's outcome to the receiver given this. */
  public MetricExporter wrap(MetricExporter exporter) {
    return new ConfirmingMetricExporter(
        Objects.requireNonNull(exporter, "exporter"),
        (metrics, success) -> {
          MetricExportListener current = listener;
          if (current != null) {
            current.exported(metrics, success);
          }
        });
  }

  void attach(MetricExportListener receiverListener) {
    if (listener != null) {
      throw new IllegalStateException("these confirmations already serve a receiver");
    }
    listener = receiverListener;
  }
}
