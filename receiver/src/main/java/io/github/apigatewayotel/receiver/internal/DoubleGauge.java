package io.github.apigatewayotel.receiver.internal;

import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.GaugeData;
import java.util.Collection;
import java.util.List;

/**
 * Immutable gauge data.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public record DoubleGauge(List<DoublePointData> points) implements GaugeData<DoublePointData> {

  public DoubleGauge {
    points = List.copyOf(points);
  }

  @Override
  public Collection<DoublePointData> getPoints() {
    return points;
  }
}
