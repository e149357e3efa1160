package io.github.apigatewayotel.logs;

import io.github.apigatewayotel.logs.internal.BoundedLineReader;
import io.github.apigatewayotel.logs.internal.DeliveryBatch;
import io.github.apigatewayotel.logs.internal.FollowedFile;
import java.io.IOException;
import java.util.function.BooleanSupplier;

/**
 * Reads a followed file into an {@link AccessLogBridge} in pieces of at most {@link
 * DeliveryBatch#MAX_RECORDS} lines, moving the file's offset (and, when asked, the checkpoint) past
 * a piece only once its records are delivered.
 */
final class DeliveredLineReader {

  private final AccessLogBridge bridge;
  private final AccessLogFormat format;
  private final LogOrigin origin;
  private final FileCheckpointKeeper checkpoint;

  /** True once the source is closing: a read waiting for delivery lets go. */
  private final BooleanSupplier closing;

  private final BoundedLineReader reader = new BoundedLineReader();

  DeliveredLineReader(
      AccessLogBridge bridge,
      AccessLogFormat format,
      LogOrigin origin,
      FileCheckpointKeeper checkpoint,
      BooleanSupplier closing) {
    this.bridge = bridge;
    this.format = format;
    this.origin = origin;
    this.checkpoint = checkpoint;
    this.closing = closing;
  }

  /**
   * Reads {@code source} from its offset to its end; the offset (and, when {@code checkpointed},
   * the checkpoint) moves past a piece once its records are delivered (exported, with a delivery
   * tracker). Returns false when closing interrupted it.
   */
  boolean read(FollowedFile source, boolean finalLineComplete, boolean checkpointed, long[] emitted)
      throws IOException {
    long[] lineEnds = new long[DeliveryBatch.MAX_RECORDS];
    while (true) {
      long next;
      int lines;
      try (DeliveryBatch batch = bridge.openDeliveryBatch()) {
        next =
            reader.read(
                source.channel(),
                source.offset(),
                finalLineComplete,
                DeliveryBatch.MAX_RECORDS,
                (text, invalid, truncated) -> {
                  lineEnds[reader.linesRead()] = reader.lineEnd();
                  bridge.emit(format, text, origin, System.currentTimeMillis(), invalid, truncated);
                  emitted[0]++;
                });
        lines = reader.linesRead();
        if (!batch.awaitDelivery(closing)) {
          // Stopped with part of the piece exported: keep what is, so a restart repeats nothing.
          int exportedLines = batch.exportedPrefix();
          if (exportedLines > 0) {
            source.advance(lineEnds[exportedLines - 1]);
            if (checkpointed) {
              checkpoint.save(source);
            }
          }
          return false;
        }
      }
      source.advance(next);
      if (checkpointed) {
        checkpoint.save(source);
      }
      if (lines < DeliveryBatch.MAX_RECORDS) {
        return true;
      }
    }
  }
}
