package io.github.apigatewayotel.receiver.internal;

import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.SumData;
import java.util.Collection;
import java.util.List;

/**
 * Immutable monotonic or non-monotonic sum data.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public record DoubleSum(
    boolean monotonic, AggregationTemporality temporality, List<DoublePointData> points)
    implements SumData<DoublePointData> {

  public DoubleSum {
    points = List.copyOf(points);
  }

  @Override
  public boolean isMonotonic() {
    return monotonic;
  }

  @Override
  public AggregationTemporality getAggregationTemporality() {
    return temporality;
  }

  @Override
  public Collection<DoublePointData> getPoints() {
    return points;
  }
}
