package io.github.apigatewayotel.logs.internal;

import io.opentelemetry.sdk.common.CompletableResultCode;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The records one source emitted since its last checkpoint, held until the host's exporter has
 * confirmed every one of them. A record whose export failed (backend down) or that the SDK dropped
 * before export (its queue was full) is emitted again, after a bounded backoff, until it is
 * exported: so a source may advance its checkpoint exactly when {@link #awaitDelivery} returns
 * true. Memory stays bounded because a source awaits every {@link #MAX_RECORDS} records.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class DeliveryBatch implements AutoCloseable {

  /**
   * Records a source emits before awaiting them: a quarter of the SDK's default log queue (2,048),
   * so a batch fits in the queue beside the host's own records and is rarely dropped there.
   */
  public static final int MAX_RECORDS = 512;

  /**
   * Rounds in which none of the batch's records reached the exporter before the unseen ones are
   * given up on (and counted): a processor filters them, not a full queue.
   */
  static final int MAX_UNSEEN_EMISSIONS = 5;

  /**
   * Rounds in a row in which the backend rejected a record for good (an OTLP status not to be
   * retried, such as HTTP 400) before it is given up (logged once, counted): retrying a batch the
   * backend always refuses would hold its source for ever. With the backoff between rounds, about
   * 7.5 s.
   */
  public static final int MAX_REJECTED_ROUNDS = 5;

  static final long FIRST_BACKOFF_MILLIS = 500;

  /**
   * Pause before emitting again records the SDK dropped while its exports succeed: it drains fast.
   */
  static final long DROPPED_PAUSE_MILLIS = 50;

  static final long MAX_BACKOFF_MILLIS = 30_000;
  private static final long WAIT_STEP_MILLIS = 20;

  /** Flush requests made before taking an already-completed answer as the processor's own. */
  private static final int MAX_FLUSH_REQUESTS = 100;

  private static final Logger logger = Logger.getLogger(DeliveryBatch.class.getName());

  /** A batch for a bridge without a tracker: the hand-over to the SDK counts as delivery. */
  public static final DeliveryBatch HANDED_OVER = new DeliveryBatch(null);

  private final DeliveryLedger ledger;
  private final List<Entry> entries = new ArrayList<>();
  private int unsettled;

  /** The entry being emitted again, whose history the new record inherits. */
  private Entry emittingAgain;

  /** Lines tracked since the batch was opened or last delivered, and which of them are exported. */
  private int lines;

  private final BitSet exported = new BitSet();

  /** Whether the last {@link #undelivered} round found failed exports (not only drops). */
  private boolean exportsFailed;

  /** One emitted record: how to emit it again, and what became of it. */
  public final class Entry {
    final Object body;
    final Runnable emitAgain;

    /** Position of its line among the lines of the batch, kept when emitted again. */
    int order;

    int unseenEmissions;

    /** Rounds in a row the backend rejected it for good. */
    int rejections;

    /** How the backend rejected it for good in the last round, or null. */
    String rejection;

    /** Successful exports so far, guarded by the ledger's lock. */
    int exports;

    boolean seen;
    boolean exportFailed;

    Entry(Object body, Runnable emitAgain) {
      this.body = body;
      this.emitAgain = emitAgain;
    }

    void settle(boolean success, String rejection) {
      synchronized (DeliveryBatch.this) {
        seen = true;
        exportFailed = !success;
        this.rejection = success ? null : rejection;
        unsettled--;
        if (success) {
          exported.set(order);
        }
        DeliveryBatch.this.notifyAll();
      }
    }
  }

  DeliveryBatch(DeliveryLedger ledger) {
    this.ledger = ledger;
  }

  /** Records emitted into this batch since it was opened or last delivered. */
  public synchronized int size() {
    return entries.size();
  }

  /**
   * Called by the bridge just before it emits a record whose body is {@code body}; {@code
   * emitAgain} emits the same line again. Returns the entry to {@link #untrack} should the emission
   * fail, or null when not tracked.
   */
  public Entry track(Object body, Runnable emitAgain) {
    if (ledger == null) {
      return null;
    }
    Entry entry = new Entry(body, emitAgain);
    synchronized (this) {
      if (emittingAgain != null) {
        entry.unseenEmissions = emittingAgain.unseenEmissions;
        entry.rejections = emittingAgain.rejections;
        entry.order = emittingAgain.order;
      } else {
        entry.order = lines++;
      }
    }
    return track(entry) ? entry : null;
  }

  private boolean track(Entry entry) {
    synchronized (this) {
      if (!ledger.register(entry.body, entry)) {
        exported.set(entry.order); // the same String object twice: its first record stands for both
        return false;
      }
      entries.add(entry);
      unsettled++;
      return true;
    }
  }

  /** Whether records are awaited (a tracker is set); false when the hand-over counts. */
  public boolean confirmsDelivery() {
    return ledger != null;
  }

  /**
   * How many of the batch's lines, in the order they were first emitted, are exported without a
   * gap: after {@link #awaitDelivery} returned false, a source may checkpoint past these.
   */
  public synchronized int exportedPrefix() {
    return Math.min(exported.nextClearBit(0), lines);
  }

  /** The record of {@code entry} was not emitted after all. */
  public void untrack(Entry entry) {
    if (entry == null) {
      return;
    }
    ledger.unregister(entry.body, entry);
    synchronized (this) {
      if (entries.remove(entry)) {
        unsettled--;
      }
      exported.set(entry.order); // nothing to await: no gap for a checkpoint to stop at
    }
  }

  /**
   * Flushes the host SDK and waits until every record of the batch has been exported, emitting
   * again those that were not. Returns true when all are delivered (the batch is then empty and can
   * take more records), false when {@code stopped} said to give up: the caller then must not
   * advance its checkpoint.
   */
  public boolean awaitDelivery(BooleanSupplier stopped) {
    if (ledger == null) {
      return true;
    }
    int round = 0;
    while (true) {
      if (!awaitOutcomes(stopped)) {
        return false;
      }
      List<Entry> again = undelivered();
      if (again.isEmpty()) {
        synchronized (this) {
          lines = 0;
          exported.clear();
        }
        return true;
      }
      ledger.countRedelivered(again.size());
      long pause = exportsFailed ? backoff(round++) : DROPPED_PAUSE_MILLIS;
      logger.log(
          round <= 1 ? Level.INFO : Level.FINE,
          "apigateway-otel: {0} access-log record(s) not exported ({1}); emitting them again in"
              + " {2} ms, checkpoint held",
          new Object[] {
            again.size(), exportsFailed ? "the exporter failed" : "the SDK dropped them", pause
          });
      if (!sleep(pause, stopped)) {
        return false; // not delivered: the caller keeps its checkpoint, a restart reads them again
      }
      for (Entry entry : again) {
        emittingAgain = entry;
        try {
          entry.emitAgain.run(); // the bridge tracks the new record in this batch
        } finally {
          emittingAgain = null;
        }
      }
    }
  }

  /**
   * Waits until every record has an outcome, or the SDK has surely exported everything queued
   * before the call and no export is running: what is still unsettled then was dropped. Surely: the
   * batch processor answers a flush request made while another is pending with that one, whose
   * snapshot of its queue may predate these records; a flush requested after it completed snapshots
   * the queue later, so two in a row cover them.
   */
  private boolean awaitOutcomes(BooleanSupplier stopped) {
    CompletableResultCode flush = ledger.flush();
    for (int pass = 0; pass < 2; pass++) {
      if (!awaitSettledOr(flush, stopped)) {
        return false;
      }
      synchronized (this) {
        if (unsettled == 0) {
          return true;
        }
      }
      if (pass == 0) {
        flush = flushRequestedNow();
      }
    }
    return true;
  }

  /**
   * A flush the processor will run from now on. Asked while another thread's flush is pending, the
   * batch processor hands that one back, or, if it completed in between, an already-completed
   * result that covers nothing: done on return means no flush of ours ran, so ask again.
   */
  private CompletableResultCode flushRequestedNow() {
    CompletableResultCode flush = ledger.flush();
    for (int attempt = 0; flush.isDone() && attempt < MAX_FLUSH_REQUESTS; attempt++) {
      Thread.onSpinWait();
      flush = ledger.flush();
    }
    return flush;
  }

  /** Waits until no record is unsettled, or {@code flush} is done and no export is running. */
  private boolean awaitSettledOr(CompletableResultCode flush, BooleanSupplier stopped) {
    synchronized (this) {
      while (unsettled > 0) {
        if (stopped.getAsBoolean()) {
          return false;
        }
        if (flush.isDone() && ledger.exportsInFlight() == 0) {
          return true;
        }
        try {
          wait(WAIT_STEP_MILLIS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    }
  }

  /**
   * Takes out of the batch every record not exported; the exported ones are done, and so are those
   * given up on (never handed to the exporter, or rejected by the backend for good, too often).
   */
  private List<Entry> undelivered() {
    List<Entry> again = new ArrayList<>();
    int givenUp = 0;
    int rejected = 0;
    String rejection = null;
    synchronized (this) {
      exportsFailed = false;
      // A round where some records reached the exporter made progress (a full queue drops the
      // tail of a burst): only rounds where none did count towards giving up on the unseen.
      boolean progress = false;
      for (Entry entry : entries) {
        progress |= entry.seen;
      }
      for (Entry entry : entries) {
        exportsFailed |= entry.exportFailed;
        if (entry.seen && !entry.exportFailed) {
          continue;
        }
        ledger.unregister(entry.body, entry);
        if (!entry.seen && !progress && ++entry.unseenEmissions >= MAX_UNSEEN_EMISSIONS) {
          givenUp++;
          continue;
        }
        // Only rejections in a row count: a round that failed otherwise (an outage) resets them.
        entry.rejections = entry.rejection == null ? 0 : entry.rejections + 1;
        if (entry.rejections >= MAX_REJECTED_ROUNDS) {
          rejected++;
          rejection = entry.rejection;
          exported.set(entry.order); // settled: the checkpoint may move past it
          continue;
        }
        entry.seen = false;
        entry.exportFailed = false;
        entry.rejection = null;
        again.add(entry);
      }
      entries.clear();
      unsettled = 0;
    }
    if (rejected > 0) {
      ledger.giveUpRejected(rejected, rejection);
    }
    if (givenUp > 0) {
      ledger.countUndeliverable(givenUp);
      logger.warning(
          "apigateway-otel: "
              + givenUp
              + " access-log record(s) never reached the exporter after "
              + MAX_UNSEEN_EMISSIONS
              + " emissions (a processor filtering them?); counted in"
              + " apigateway_otel.logs.undeliverable");
    }
    return again;
  }

  static long backoff(int round) {
    long delay = FIRST_BACKOFF_MILLIS << Math.min(round, 16);
    return Math.min(delay, MAX_BACKOFF_MILLIS);
  }

  private static boolean sleep(long millis, BooleanSupplier stopped) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (System.nanoTime() < deadline) {
      if (stopped.getAsBoolean()) {
        return false;
      }
      try {
        Thread.sleep(Math.min(WAIT_STEP_MILLIS * 5, millis));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return !stopped.getAsBoolean();
  }

  @Override
  public void close() {
    if (ledger == null) {
      return;
    }
    synchronized (this) {
      for (Entry entry : entries) {
        ledger.unregister(entry.body, entry);
      }
      entries.clear();
      unsettled = 0;
      lines = 0;
      exported.clear();
    }
    ledger.closed(this);
  }
}
