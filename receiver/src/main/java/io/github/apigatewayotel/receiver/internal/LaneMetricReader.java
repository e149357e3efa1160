package io.github.apigatewayotel.receiver.internal;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import java.io.IOException;
import java.util.Collection;

/**
 * The host's metric reader, collecting as its own lane: the registration the SDK gives it is
 * wrapped so that every collection it asks for runs with its lane set. Otherwise unchanged.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class LaneMetricReader implements MetricReader {

  private final MetricReader delegate;
  private final ReaderLanes lanes;
  private final int lane;

  public LaneMetricReader(MetricReader delegate, ReaderLanes lanes) {
    this.delegate = delegate;
    this.lanes = lanes;
    this.lane = lanes.newLane(delegate);
  }

  public int lane() {
    return lane;
  }

  @Override
  public void register(CollectionRegistration registration) {
    delegate.register(new LaneRegistration(registration));
  }

  private final class LaneRegistration implements CollectionRegistration {
    private final CollectionRegistration sdk;

    LaneRegistration(CollectionRegistration sdk) {
      this.sdk = sdk;
    }

    @Override
    public Collection<MetricData> collectAllMetrics() {
      return lanes.collectAs(lane, sdk::collectAllMetrics);
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
  public CompletableResultCode forceFlush() {
    return delegate.forceFlush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
