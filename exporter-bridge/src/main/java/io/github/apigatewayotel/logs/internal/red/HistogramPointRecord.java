package io.github.apigatewayotel.logs.internal.red;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.DoubleExemplarData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import java.util.List;

/**
 * An immutable explicit-bucket histogram point (our own, for the same reason as the others).
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
record HistogramPointRecord(
    long startEpochNanos,
    long epochNanos,
    Attributes attributes,
    double sum,
    long count,
    double min,
    double max,
    List<Double> boundaries,
    List<Long> counts,
    List<DoubleExemplarData> exemplars)
    implements HistogramPointData {

  @Override
  public double getSum() {
    return sum;
  }

  @Override
  public long getCount() {
    return count;
  }

  @Override
  public boolean hasMin() {
    return count > 0;
  }

  @Override
  public double getMin() {
    return min;
  }

  @Override
  public boolean hasMax() {
    return count > 0;
  }

  @Override
  public double getMax() {
    return max;
  }

  @Override
  public List<Double> getBoundaries() {
    return boundaries;
  }

  @Override
  public List<Long> getCounts() {
    return counts;
  }

  @Override
  public List<DoubleExemplarData> getExemplars() {
    return exemplars;
  }

  @Override
  public long getStartEpochNanos() {
    return startEpochNanos;
  }

  @Override
  public long getEpochNanos() {
    return epochNanos;
  }

  @Override
  public Attributes getAttributes() {
    return attributes;
  }
}
