package io.github.apigatewayotel.receiver.internal;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.DoubleExemplarData;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import java.util.List;

/**
 * An immutable double point. Our own class rather than the SDK's internal one, so the jar works
 * with whatever SDK version the host runs.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public record DoublePoint(
    long startEpochNanos, long epochNanos, Attributes attributes, double value)
    implements DoublePointData {

  @Override
  public double getValue() {
    return value;
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

  @Override
  public List<DoubleExemplarData> getExemplars() {
    return List.of();
  }
}
