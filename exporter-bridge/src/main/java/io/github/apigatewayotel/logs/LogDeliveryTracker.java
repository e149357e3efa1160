package io.github.apigatewayotel.logs;

import io.github.apigatewayotel.logs.internal.DeliveryLedger;
import io.github.apigatewayotel.logs.internal.TrackingLogRecordExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Makes the access-log sources advance their checkpoints only past records the host's exporter has
 * exported: wrap the host's {@link LogRecordExporter} with {@link #wrap} and give the tracker to
 * the {@link AccessLogBridge}. A record whose export fails (backend down, 503, UNAVAILABLE) or that
 * the SDK drops before export (full queue) is emitted again, with bounded backoff, until it is
 * exported; meanwhile the source reads nothing new, so memory stays bounded whatever the outage
 * length and a crash or restart resumes from the last exported line. Without a tracker, handing a
 * record to the SDK counts as delivered.
 */
public final class LogDeliveryTracker {

  private final DeliveryLedger ledger;

  private LogDeliveryTracker(DeliveryLedger ledger) {
    this.ledger = ledger;
  }

  /**
   * A tracker that flushes with {@code flush} (the host's {@code SdkLoggerProvider::forceFlush}).
   * Records emitted again and records given up on are counted ({@code
   * apigateway_otel.logs.redelivered}, {@code apigateway_otel.logs.undeliverable}) on the meter
   * provider of the first bridge given this tracker.
   */
  public static LogDeliveryTracker create(Supplier<CompletableResultCode> flush) {
    return create(flush, failure -> null);
  }

  /**
   * As {@link #create(Supplier)}, with {@code permanentRejection} telling which failed exports the
   * backend rejected for good: it returns a description of the rejection (its status and the fix),
   * or null for a failure that may pass (an outage). A record rejected for good {@value
   * io.github.apigatewayotel.logs.internal.DeliveryBatch#MAX_REJECTED_ROUNDS} rounds in a row is
   * given up (logged once with that description, counted in {@code apigateway_otel.logs.rejected}),
   * so a batch the backend always refuses cannot hold its source for ever; others are emitted again
   * until exported.
   */
  public static LogDeliveryTracker create(
      Supplier<CompletableResultCode> flush, Function<Throwable, String> permanentRejection) {
    return new LogDeliveryTracker(
        new DeliveryLedger(
            Objects.requireNonNull(flush, "flush"),
            Objects.requireNonNull(permanentRejection, "permanentRejection")));
  }

  /** {@code exporter}, reporting each export's outcome to this tracker. */
  public LogRecordExporter wrap(LogRecordExporter exporter) {
    return new TrackingLogRecordExporter(Objects.requireNonNull(exporter, "exporter"), ledger);
  }

  DeliveryLedger ledger() {
    return ledger;
  }
}
