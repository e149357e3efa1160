package io.github.apigatewayotel.receiver.internal;

import io.opentelemetry.sdk.metrics.data.MetricData;
import java.util.Collection;

/**
 * Told how each export of the host's metric exporter ended.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
@FunctionalInterface
public interface MetricExportListener {
  void exported(Collection<MetricData> metrics, boolean success);

  /**
   * The export failed because the backend rejected the data for good ({@code rejection} says how
   * and what to do); by default, a failure like any other.
   */
  default void rejected(Collection<MetricData> metrics, String rejection) {
    exported(metrics, false);
  }
}
