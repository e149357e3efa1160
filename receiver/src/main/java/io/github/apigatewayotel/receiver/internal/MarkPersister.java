package io.github.apigatewayotel.receiver.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.annotation.Nullable;

/**
 * The receiver's high-water marks across restarts: loaded before the first poll exports anything (a
 * poll without them could repeat periods), saved once the host has exported points (or collected
 * them, without export confirmation), off the exporter's thread, saves coalescing. Without a state
 * directory there is nothing to load or save; in fleet mode the fleet's table holds the marks,
 * saved through {@code sharedSave} (fenced by the leases).
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
final class MarkPersister {

  @Nullable private final HighWaterMarkStore store;
  @Nullable private final Path stateDirectory;
  private final java.time.Duration lookback;

  /** The pollers whose plans' marks are saved. */
  private final List<RegionPoller> regions;

  private final ProblemLog problems;
  @Nullable private volatile Map<String, Long> persistedMarks;

  /**
   * The latest collection window; marks older than its start are not kept for unplanned queries.
   */
  @Nullable private volatile CollectionWindow lastWindow;

  private final Object persistLock = new Object();
  private final AtomicBoolean persistQueued = new AtomicBoolean();

  /** Saves marks off the exporter's thread; null without a state directory or a fleet. */
  @Nullable private final ExecutorService persister;

  /** Fleet mode: saves the marks in the fleet's table instead; else null. */
  @Nullable private final Runnable sharedSave;

  MarkPersister(
      @Nullable Path stateDirectory,
      java.time.Duration lookback,
      List<RegionPoller> regions,
      ProblemLog problems,
      ThreadFactory threadFactory,
      @Nullable Runnable sharedSave) {
    this.stateDirectory = stateDirectory;
    this.sharedSave = sharedSave;
    this.store = stateDirectory == null ? null : new HighWaterMarkStore(stateDirectory);
    this.lookback = lookback;
    this.regions = regions;
    this.problems = problems;
    this.persister =
        store == null && sharedSave == null
            ? null
            : Executors.newSingleThreadExecutor(threadFactory);
  }

  /** Whether there is a state directory or a fleet table to save to. */
  boolean persists() {
    return persister != null;
  }

  /** The marks loaded, or null before {@link #ensureLoaded}. */
  @Nullable
  Map<String, Long> persistedMarks() {
    return persistedMarks;
  }

  /** The window of the poll in hand: marks older than its start need not be kept. */
  void polled(CollectionWindow window) {
    lastWindow = window;
  }

  /**
   * Loads the marks once; returns false (with the problem in {@code issues}) when the state
   * directory cannot be read: then nothing may be exported.
   */
  boolean ensureLoaded(List<String> issues) {
    if (persistedMarks != null) {
      return true;
    }
    if (store == null) {
      persistedMarks = Map.of();
      return true;
    }
    try {
      HighWaterMarkStore.Marks loaded = store.load(lookback);
      if (loaded.resumeFrom() != null) { // damaged (logged, set aside): resume from its last save
        regions.forEach(region -> region.resumeFrom(loaded.resumeFrom()));
      }
      persistedMarks = loaded.marks();
      return true;
    } catch (IOException e) {
      String message =
          "apigateway-otel receiver: cannot read the state directory "
              + stateDirectory
              + " ("
              + e
              + ")";
      issues.add(message);
      problems.problem("state-read", message, e);
      return false; // never export without the marks: that could repeat periods
    }
  }

  /** Queues a save of the marks; saves coalesce while one is queued. */
  void marksAdvanced() {
    if (persistQueued.compareAndSet(false, true)) {
      try {
        persister.execute(
            () -> {
              persistQueued.set(false);
              persistMarks();
            });
      } catch (RejectedExecutionException e) {
        // Closed: the host's SDK flushes after its plugins stop, and those last exports must
        // count too, else a restart exports their periods again.
        persistQueued.set(false);
        persistMarks();
      }
    }
  }

  /**
   * Saves every query's exported mark: a restart resumes after what the host exported, so nothing
   * collected but not exported is lost, and nothing exported is collected again.
   */
  private void persistMarks() {
    if (sharedSave != null) {
      synchronized (persistLock) {
        sharedSave.run();
      }
      return;
    }
    Map<String, Long> loaded = persistedMarks;
    CollectionWindow window = lastWindow;
    if (store == null || loaded == null || window == null) {
      return;
    }
    synchronized (persistLock) {
      Set<String> planned = new HashSet<>();
      List<QueryPlan> plans = new ArrayList<>();
      for (RegionPoller region : regions) {
        QueryPlan plan = region.plan();
        plans.add(plan);
        for (PlannedQuery query : plan.queries()) {
          planned.add(query.key());
        }
      }
      // keep marks of queries not planned now (filtered, or their API briefly unknown) while they
      // can still matter, i.e. while they are inside the lookback window
      long oldest = window.start().getEpochSecond();
      Map<String, Long> retained = new HashMap<>();
      loaded.forEach(
          (key, mark) -> {
            if (mark >= oldest && !planned.contains(key)) {
              retained.put(key, mark);
            }
          });
      try {
        store.save(plans, retained);
        problems.resolved("state-write", "state directory writable again");
      } catch (IOException e) {
        problems.problem(
            "state-write",
            "apigateway-otel receiver: cannot write high-water marks to "
                + stateDirectory
                + " ("
                + e
                + "); a restart may repeat exported periods",
            e);
      }
    }
  }

  /** Waits for a queued save, then saves once more. */
  void close() {
    if (persister != null) {
      persister.shutdown();
      try {
        persister.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      persistMarks();
    }
  }
}
