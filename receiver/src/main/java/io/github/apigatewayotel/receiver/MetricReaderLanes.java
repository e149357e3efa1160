package io.github.apigatewayotel.receiver;

import io.github.apigatewayotel.receiver.internal.LaneMetricReader;
import io.github.apigatewayotel.receiver.internal.ReaderLanes;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import java.util.Objects;

/**
 * Gives every metric reader of the host every CloudWatch datapoint. The SDK hands the receiver's
 * producer to each registered reader, and the producer hands each datapoint out once; with two
 * readers (OTLP and Prometheus, say) each backend would get about half. Wrap each reader with
 * {@link #wrap} before registering it and give this to the receiver's builder: each wrapped reader
 * then collects from its own lane, holding its own copy of the pending datapoints (so the pending
 * bound applies per reader), and the state directory's marks only move past a period once every
 * reader exported it. A reader left unwrapped collects from the first lane. A reader that is not a
 * {@code PeriodicMetricReader} pulls (Prometheus): with export confirmations its collections count
 * as exported, since no exporter of it will confirm them.
 */
public final class MetricReaderLanes {

  private final ReaderLanes lanes = new ReaderLanes();

  private MetricReaderLanes() {}

  public static MetricReaderLanes create() {
    return new MetricReaderLanes();
  }

  /**
   * {@code reader}, collecting from a lane of its own (numbered in wrap order); every method
   * delegates to it. Wrap only readers that are registered: the receiver keeps points for each lane.
   */
  public MetricReader wrap(MetricReader reader) {
    return new LaneMetricReader(Objects.requireNonNull(reader, "reader"), lanes);
  }

  /** Lanes created so far (at least one). */
  public int count() {
    return lanes.count();
  }

  ReaderLanes lanes() {
    return lanes;
  }
}
