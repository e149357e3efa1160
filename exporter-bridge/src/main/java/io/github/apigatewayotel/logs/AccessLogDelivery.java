package io.github.apigatewayotel.logs;

import io.github.apigatewayotel.logs.internal.DeliveryBatch;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Lines a push source (a Firehose HTTP endpoint, a Lambda handler) emits into the bridge and must
 * see exported before it acknowledges them: as {@link CloudWatchLogsSubscription#deliverTo}, for
 * lines from any origin (raw access-log lines from API Gateway's own Firehose destination, several
 * subscription deliveries in one request). Every {@value DeliveryBatch#MAX_RECORDS} lines it waits
 * for their export, so memory stays bounded; a record whose export fails is emitted again until the
 * deadline ({@link LogDeliveryTracker}). Without a tracker, handing a record over counts.
 */
public final class AccessLogDelivery implements AutoCloseable {

  private final AccessLogBridge bridge;
  private final DeliveryBatch batch;
  private final BooleanSupplier pastDeadline;
  private int inPiece;
  private boolean late;

  private AccessLogDelivery(AccessLogBridge bridge, long deadlineNanos) {
    this.bridge = bridge;
    this.batch = bridge.openDeliveryBatch();
    this.pastDeadline = () -> System.nanoTime() - deadlineNanos >= 0;
  }

  /**
   * Opens a delivery into {@code bridge} that gives up at {@code deadlineNanos} ({@link
   * System#nanoTime()}).
   */
  public static AccessLogDelivery open(AccessLogBridge bridge, long deadlineNanos) {
    return new AccessLogDelivery(Objects.requireNonNull(bridge, "bridge"), deadlineNanos);
  }

  /**
   * Emits one line (as {@link AccessLogBridge#emit(AccessLogFormat, String, LogOrigin, long)});
   * false once the deadline passed before an earlier piece was exported (the caller then fails its
   * delivery so that the sender retries it).
   */
  public boolean emit(
      AccessLogFormat format, String line, LogOrigin origin, long fallbackEpochMillis) {
    if (late) {
      return false;
    }
    bridge.emit(format == null ? bridge.format() : format, line, origin, fallbackEpochMillis);
    if (++inPiece == DeliveryBatch.MAX_RECORDS) {
      inPiece = 0;
      late = !batch.awaitDelivery(pastDeadline);
    }
    return !late;
  }

  /** Waits until every line emitted was exported; false when the deadline came first. */
  public boolean awaitDelivery() {
    return !late && batch.awaitDelivery(pastDeadline);
  }

  @Override
  public void close() {
    batch.close();
  }
}
