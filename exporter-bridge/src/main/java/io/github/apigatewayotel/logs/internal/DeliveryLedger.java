package io.github.apigatewayotel.logs.internal;

import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Which emitted access-log records the host's exporter has reported on. A record is recognised by
 * the identity of its body String: the SDK carries the very object the bridge set from the builder
 * to the exporter, and a source reads every line into a new String, so nothing needs to be added to
 * the record (no attribute a backend would see). Records of other instrumentation never match.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class DeliveryLedger {

  private static final Logger logger = Logger.getLogger(DeliveryLedger.class.getName());

  private final Supplier<CompletableResultCode> flush;
  private final Function<Throwable, String> permanentRejection;
  private final Map<Object, DeliveryBatch.Entry> awaiting = new IdentityHashMap<>();
  private final AtomicInteger exportsInFlight = new AtomicInteger();

  /** Exporters wrapped: every one must export a record (each sees all of them). */
  private final AtomicInteger exporters = new AtomicInteger();

  private final ThreadLocal<DeliveryBatch> openBatch = new ThreadLocal<>();
  private final LongAdder redelivered = new LongAdder();
  private final LongAdder undeliverable = new LongAdder();
  private final LongAdder rejected = new LongAdder();

  /**
   * Rejections already logged at WARNING (later ones at FINE): one line per kind, not per batch.
   */
  private final Set<String> reportedRejections = ConcurrentHashMap.newKeySet();

  private final AtomicBoolean reporting = new AtomicBoolean();

  /** A ledger for which no failure is permanent: every record is emitted again until exported. */
  public DeliveryLedger(Supplier<CompletableResultCode> flush) {
    this(flush, failure -> null);
  }

  /**
   * {@code permanentRejection} describes a failed export the backend rejected for good (status and
   * fix), or returns null for one that may pass.
   */
  public DeliveryLedger(
      Supplier<CompletableResultCode> flush, Function<Throwable, String> permanentRejection) {
    this.flush = flush;
    this.permanentRejection = permanentRejection;
  }

  /**
   * Reports the ledger's counters on {@code meterProvider} (the first one given): the tracker is
   * made before the host's meter provider exists, the bridge that uses it after.
   */
  public void reportTo(MeterProvider meterProvider) {
    if (!reporting.compareAndSet(false, true)) {
      return;
    }
    Meter meter = meterProvider.get(LineCounters.METER_NAME);
    meter
        .counterBuilder("apigateway_otel.logs.redelivered")
        .setUnit("{record}")
        .setDescription(
            "Access-log records emitted again because the exporter failed or the SDK dropped them"
                + " before export; sources hold their checkpoints until every record is exported")
        .buildWithCallback(m -> m.record(redelivered.sum()));
    meter
        .counterBuilder("apigateway_otel.logs.undeliverable")
        .setUnit("{record}")
        .setDescription(
            "Access-log records the host SDK never handed to its exporter after several emissions"
                + " (e.g. filtered by a processor), given up on")
        .buildWithCallback(m -> m.record(undeliverable.sum()));
    meter
        .counterBuilder("apigateway_otel.logs.rejected")
        .setUnit("{record}")
        .setDescription(
            "Access-log records the backend rejected for good (an OTLP status not to be retried,"
                + " such as HTTP 400) in "
                + DeliveryBatch.MAX_REJECTED_ROUNDS
                + " rounds in a row,"
                + " given up on")
        .buildWithCallback(m -> m.record(rejected.sum()));
  }

  /** Opens a batch on this thread: records the bridge emits on it are awaited by the batch. */
  public DeliveryBatch open() {
    DeliveryBatch batch = new DeliveryBatch(this);
    openBatch.set(batch);
    return batch;
  }

  /** The batch open on this thread, or null. */
  public DeliveryBatch current() {
    return openBatch.get();
  }

  void closed(DeliveryBatch batch) {
    if (openBatch.get() == batch) {
      openBatch.remove();
    }
  }

  /** Returns false when the body object is already awaited (then the record is not tracked). */
  boolean register(Object body, DeliveryBatch.Entry entry) {
    synchronized (awaiting) {
      return awaiting.putIfAbsent(body, entry) == null;
    }
  }

  void unregister(Object body, DeliveryBatch.Entry entry) {
    synchronized (awaiting) {
      awaiting.remove(body, entry);
    }
  }

  /** A host exporter was wrapped. */
  void exporterAdded() {
    exporters.incrementAndGet();
  }

  /** The host exporter starts an export. */
  public void exportStarted() {
    exportsInFlight.incrementAndGet();
  }

  /**
   * The host exporter finished an export: {@code success} for every record of it, or none; a
   * failure the backend rejected for good ({@code failure} says which) marks its records rejected.
   */
  public void exportFinished(
      Collection<LogRecordData> records, boolean success, Throwable failure) {
    try {
      String rejection = success ? null : rejectionOf(failure);
      for (LogRecordData record : records) {
        Value<?> body = record.getBodyValue();
        if (body == null) {
          continue;
        }
        DeliveryBatch.Entry entry;
        synchronized (awaiting) {
          entry = awaiting.get(body.getValue());
          if (entry == null) {
            continue;
          }
          if (success && ++entry.exports < exporters.get()) {
            continue; // another exporter has yet to export it
          }
          awaiting.remove(body.getValue());
        }
        entry.settle(success, rejection);
      }
    } finally {
      exportsInFlight.decrementAndGet();
    }
  }

  /** As {@link #exportFinished(Collection, boolean, Throwable)} without the failure's cause. */
  public void exportFinished(Collection<LogRecordData> records, boolean success) {
    exportFinished(records, success, null);
  }

  private String rejectionOf(Throwable failure) {
    try {
      return permanentRejection.apply(failure);
    } catch (RuntimeException e) {
      return null; // a classifier that fails makes no failure permanent
    }
  }

  int exportsInFlight() {
    return exportsInFlight.get();
  }

  CompletableResultCode flush() {
    try {
      return flush.get();
    } catch (RuntimeException e) {
      return CompletableResultCode.ofFailure();
    }
  }

  void countRedelivered(int records) {
    redelivered.add(records);
  }

  void countUndeliverable(int records) {
    undeliverable.add(records);
  }

  /**
   * Records given up after the backend rejected them for good in every round: counted, and logged
   * at WARNING the first time for each kind of rejection (at FINE after).
   */
  void giveUpRejected(int records, String rejection) {
    rejected.add(records);
    String kind =
        rejection.contains(":") ? rejection.substring(0, rejection.indexOf(':')) : rejection;
    logger.log(
        reportedRejections.add(kind) ? Level.WARNING : Level.FINE,
        "apigateway-otel: the OTLP backend rejected {0} access-log record(s) {1} times in a row"
            + " and they were dropped (counted in apigateway_otel.logs.rejected): {2}",
        new Object[] {records, DeliveryBatch.MAX_REJECTED_ROUNDS, rejection});
  }

  /** Records emitted again so far. */
  public long redelivered() {
    return redelivered.sum();
  }

  /** Records given up on so far. */
  public long undeliverable() {
    return undeliverable.sum();
  }

  /** Records the backend rejected for good and that were given up on so far. */
  public long rejected() {
    return rejected.sum();
  }
}
