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
 * then collects from its own lane. A push reader (a {@code PeriodicMetricReader}, whose exporter
 * sends what it collects) gets every datapoint once, from its own copy of the pending datapoints
 * (so the pending bound applies per reader), in bounded pieces; the state directory's marks only
 * move past a period once every push reader exported it. A pull reader (any other: Prometheus) sees
 * on every collection each series' current state, a running total or a latest value; its
 * collections count as exported, and hold the marks back only when no push reader does. Wrap a
 * single pull reader too: that is how the receiver knows it pulls.
 *
 * <p>The first reader is returned as it is: collections outside any wrapped reader are the first
 * lane's. So a host with one reader keeps its reader untouched, including what the SDK gives
 * periodic readers only (their own {@code otel.sdk.metric_reader.*} telemetry), which the further,
 * wrapped readers lose. A reader the host registers without wrapping shares the first lane.
 */
public final class MetricReaderLanes {

  private final ReaderLanes lanes = new ReaderLanes();

  private MetricReaderLanes() {}

  public static MetricReaderLanes create() {
    return new MetricReaderLanes();
  }

  /**
   * {@code reader}, collecting from a lane of its own (numbered in wrap order): the first one
   * itself, the others wrapped, every method delegating to the reader. Wrap only readers that are
   * registered: the receiver keeps points for each lane.
   */
  public synchronized MetricReader wrap(MetricReader reader) {
    Objects.requireNonNull(reader, "reader");
    if (lanes.numbered() == 0) {
      lanes.newLane(reader);
      return reader;
    }
    return new LaneMetricReader(reader, lanes);
  }

  /** Lanes created so far (at least one). */
  public int count() {
    return lanes.count();
  }

  /**
   * The lane of the reader collecting on the current thread, 0 outside a wrapped reader's
   * collection: for other producers (the access-log bridge's request metrics) that serve each
   * reader its own way.
   */
  public int collectingLane() {
    return lanes.collecting();
  }

  /** Whether {@code lane}'s reader pulls (not a {@code PeriodicMetricReader}: Prometheus). */
  public boolean pulls(int lane) {
    return lanes.collectionIsExport(lane);
  }

  ReaderLanes lanes() {
    return lanes;
  }
}
