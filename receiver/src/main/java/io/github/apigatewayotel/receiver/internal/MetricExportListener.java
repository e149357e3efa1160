package io.github.apigatewayotel.receiver.internal;

import io.opentelemetry.sdk.metrics.data.MetricData;
import java.util.Collection;

/** Told how each export of the host's metric exporter ended. */
@FunctionalInterface
public interface MetricExportListener {
  void exported(Collection<MetricData> metrics, boolean success);
}
