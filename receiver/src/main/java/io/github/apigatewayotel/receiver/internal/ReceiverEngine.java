package io.github.apigatewayotel.receiver.internal;

import io.github.apigatewayotel.receiver.CloudWatchCost;
import io.github.apigatewayotel.receiver.PollSummary;
import io.github.apigatewayotel.state.internal.AwsProblem;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;
import javax.annotation.Nullable;

/**
 * One poll, synchronously on the caller's thread: resolve the accounts, rediscover regions whose
 * inventory is stale, run every region's query plan over the collection window. The high-water
 * marks are saved once the host has exported the points (or collected them, without export
 * confirmation), off the polling thread. Never throws for AWS trouble: problems are logged once,
 * counted and reported in the {@link PollSummary}, and the next poll tries again.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class ReceiverEngine implements AutoCloseable {

  private static final Logger logger = Logger.getLogger(ReceiverEngine.class.getName());

  private final ReceiverConfig config;
  private final ReceiverTelemetry telemetry;
  private final ProblemLog problems = new ProblemLog();
  private final PendingPoints pending;
  private final PolledAccounts accounts;
  private final AwsCallRetrier retrier;
  private final ApiInventoryLoader inventoryLoader;
  private final SeriesLister seriesLister;
  private final MetricDataCollector collector;

  /** Fleet mode: which regions this replica polls, marks in the fleet table; else null. */
  @Nullable private final FleetRegions fleet;

  /** One poller per region and account polled. */
  private final List<RegionPoller> regions = new ArrayList<>();

  private final MarkPersister marks;
  private final ReentrantLock pollLock = new ReentrantLock();

  /** Runs GetMetricData batches concurrently; null for one at a time on the polling thread. */
  @Nullable private final ExecutorService batchExecutor;

  private final SeriesResolver resolver;

  /** Queries per poll of the current plans, readable without waiting for a running poll. */
  private volatile int plannedQueries;

  /** The cost of each poller's plan as its last discovery made it (read by telemetry too). */
  private final PlanCosts costs;

  /** Ticks of the poll scheduler so far: tick {@code n} polls slice {@code n % slices}. */
  private long ticks;

  public ReceiverEngine(ReceiverConfig config, String scopeVersion) {
    this.config = config;
    this.telemetry = new ReceiverTelemetry(config.meterProvider());
    this.pending =
        new PendingPoints(
            InstrumentationScopeInfo.builder("io.github.apigatewayotel.receiver")
                .setVersion(scopeVersion)
                .build(),
            config.sumTemporality(),
            config.period().getSeconds(),
            PendingPoints.Limits.of(
                config.maxPendingPoints(), config.maxExportPoints(), config.pollInterval()),
            telemetry,
            config.clock());
    this.retrier =
        new AwsCallRetrier(
            config.maxAttempts(),
            config.retryBaseDelay(),
            config.retryMaxDelay(),
            config.sleeper(),
            telemetry);
    this.inventoryLoader = new ApiInventoryLoader(retrier, problems, telemetry);
    this.seriesLister = new SeriesLister(retrier, config.recentlyActiveOnly());
    this.collector =
        new MetricDataCollector(retrier, new DatapointEmitter(pending), telemetry, problems);
    this.fleet =
        config.fleet() == null
            ? null
            : new FleetRegions(
                config.fleet(), () -> List.copyOf(regions), config.period().getSeconds());
    this.resolver =
        new SeriesResolver(
            config.filter(), new SeriesAttributes(config.tagAttributePrefix()), config.metrics());
    this.accounts = new PolledAccounts(config);
    this.costs = new PlanCosts(config.pollInterval(), config.pricePerThousandMetricRequests());
    planPollers();
    telemetry.observeCosts(this::costs);
    // In fleet mode the marks live in the fleet's table, fenced by its leases, not in the state
    // directory.
    this.marks =
        fleet == null
            ? new MarkPersister(
                config.stateDirectory(),
                config.lookback(),
                regions,
                problems,
                config.threadFactory(),
                null)
            : new MarkPersister(
                null,
                config.lookback(),
                regions,
                problems,
                config.threadFactory(),
                fleet::saveMarks);
    if (marks.persists()) {
      pending.onMarksAdvanced(marks::marksAdvanced);
    }
    if (fleet != null) {
      pending.fenceExports(fleet::checkLeases);
    }
    this.batchExecutor =
        config.getMetricDataConcurrency() > 1
            ? Executors.newFixedThreadPool(
                config.getMetricDataConcurrency(), config.threadFactory())
            : null;
  }

  /** One poller per region and account polled. */
  private void planPollers() {
    for (AccountAccess access : accounts.polled()) {
      for (String region : config.regions()) {
        regions.add(
            new RegionPoller(
                region,
                access,
                inventoryLoader,
                seriesLister,
                config.pollSlices(),
                accounts.several(),
                config.linkedAccounts()
                    ? new SourceAccountInventories(
                        region, accounts.roles(), inventoryLoader, problems)
                    : null));
      }
    }
  }

  /** Polls repeat from now on (the receiver was started): messages may promise the next attempt. */
  public void pollsRepeat() {
    problems.pollsRepeat();
  }

  public PendingPoints pending() {
    return pending;
  }

  /**
   * From now on, the account id of the receiver's own credentials comes from {@code source} (see
   * the builder's accountIdSupplier); a role's account is still asked through that role.
   */
  public void accountIdFrom(java.util.function.Supplier<String> source) {
    accounts.accountIdFrom(source);
  }

  /** Queries one poll makes with the current plans (0 before the first discovery). */
  public int queriesPerPoll() {
    return plannedQueries;
  }

  /** The cost of each poller's plan, as its last discovery made it, in poller order. */
  public List<CloudWatchCost> costs() {
    return costs.of(regions);
  }

  /**
   * One poll of every query; never throws: an unexpected failure is logged and reported in the
   * summary.
   */
  public PollSummary pollOnce() {
    return pollLocked(QueryPlan.ALL);
  }

  /**
   * One tick of the poll scheduler: the next slice of every region's plan, so each query is read
   * once per poll interval and the interval's points, calls and CPU are spread over its ticks. With
   * one slice, the same as {@link #pollOnce()}.
   */
  public PollSummary pollNextSlice() {
    pollLock.lock();
    try {
      int slice = config.pollSlices() == 1 ? QueryPlan.ALL : (int) (ticks++ % config.pollSlices());
      return pollLocked(slice);
    } finally {
      pollLock.unlock();
    }
  }

  private PollSummary pollLocked(int slice) {
    pollLock.lock();
    try {
      return poll(slice);
    } catch (RuntimeException e) {
      problems.problem("unexpected", "apigateway-otel receiver: poll failed unexpectedly", e);
      Instant now = config.clock().instant();
      return new PollSummary(
          now, now, 0, 0, plannedQueries, 0, 0, 0, 1, List.of("poll failed unexpectedly: " + e));
    } finally {
      pollLock.unlock();
    }
  }

  private PollSummary poll(int slice) {
    Instant now = config.clock().instant();
    CollectionWindow window =
        CollectionWindow.at(now, config.period(), config.delay(), config.lookback());
    List<String> issues = new ArrayList<>();
    int unresolved = accounts.resolve(retrier, problems, issues);
    if (unresolved == accounts.polled().size() || !marks.ensureLoaded(issues)) {
      return new PollSummary(
          window.start(), window.end(), 0, 0, 0, 0, 0, 0, Math.max(1, unresolved), issues);
    }
    int failed = unresolved;
    int calls = 0;
    int apis = 0;
    int series = 0;
    int queries = 0;
    int plannedTotal = 0;
    long datapoints = 0;
    long emitted = 0;
    Instant earliestStart = window.end();
    for (int index = 0; index < regions.size(); index++) {
      RegionPoller polled = regions.get(index);
      if (polled.access().accountId() == null) {
        continue; // its credentials do not work yet: reported by resolveAccounts
      }
      Map<String, Long> loadedMarks = marks.persistedMarks();
      if (fleet != null) {
        FleetRegions.Admission admission = fleet.admit(polled, issues);
        if (admission == FleetRegions.Admission.NOT_HELD) {
          continue; // another replica polls it (or the fleet table cannot be used: none does here)
        }
        if (admission == FleetRegions.Admission.NEW_LEASE) {
          costs.remove(polled);
          polled =
              polled.fresh(); // from the shared marks, not from what this replica polled before
          regions.set(index, polled);
          fleet.polling(polled);
        }
        if (polled.needsDiscovery(now, config.discoveryInterval())) {
          loadedMarks = fleet.takenOverMarks(polled);
        }
      }
      RegionPoller region = polled;
      if (region.needsDiscovery(now, config.discoveryInterval())) {
        try {
          region.discover(resolver, loadedMarks, now, window);
          SeriesResolver.Result r = region.resolved();
          logger.fine(
              () ->
                  "discovered "
                      + region.describe()
                      + ": "
                      + region.inventory().size()
                      + " APIs, "
                      + r.series().size()
                      + " series ("
                      + r.unknownApi()
                      + " of unknown APIs, "
                      + r.filteredOut()
                      + " filtered out, "
                      + r.undiscovered()
                      + " of accounts without a role)");
          costs.discovered(region);
          problems.resolved(
              "discovery:" + region.describe(),
              "API discovery works again in " + region.describe());
        } catch (
            RuntimeException e) { // SdkException mostly; anything else must not stop other regions
          failed++;
          AwsProblem problem = AwsProblem.of(e, region.discoveryAction());
          String message =
              "apigateway-otel receiver: cannot discover API Gateway APIs in "
                  + region.describe()
                  + (region.access().roleArn() == null
                      ? ""
                      : " through " + region.access().describe())
                  + ": "
                  + problem.describe()
                  + problems.retrying("retrying next poll");
          issues.add(message);
          problems.problem(
              problem.isCredentials() ? "credentials" : "discovery:" + region.describe(),
              message,
              null);
        }
      }
      apis += region.inventory().size();
      series += region.seriesCount();
      queries += region.plan().queries(slice).size();
      plannedTotal += region.plan().size();
      CollectionWindow regionWindow = region.windowWithin(window, slice);
      long lost = region.periodsOutOfReach(regionWindow, slice);
      if (lost > 0) {
        // Down (or refused by AWS) for longer than the catch-up reach: say so, never silently.
        telemetry.periodsSkipped(lost);
        String message =
            "apigateway-otel receiver: "
                + lost
                + " period(s) in "
                + region.describe()
                + " are older than the "
                + CollectionWindow.MAX_CATCH_UP_PERIODS
                + " periods a poll can catch up on and were not collected";
        issues.add(message);
        problems.problem("gap:" + region.describe(), message, null);
      }
      if (regionWindow.start().isBefore(earliestStart)) {
        earliestStart = regionWindow.start();
      }
      if (regionWindow.isEmpty() || region.plan().queries(slice).isEmpty()) {
        continue;
      }
      MetricDataCollector.Outcome outcome =
          collector.collect(
              region.describe(),
              region.access().clients().region(region.region()).getMetricData(),
              region.plan(),
              slice,
              regionWindow,
              batchExecutor);
      if (outcome.failedBatches() == 0 && outcome.incompleteQueries() == 0) {
        region.collected(regionWindow, slice); // else the next poll asks for this window again
      }
      if (outcome.incompleteQueries() > 0) {
        issues.add(
            outcome.incompleteQueries()
                + " GetMetricData queries incomplete in "
                + region.describe());
      }
      calls += outcome.calls();
      datapoints += outcome.datapoints();
      emitted += outcome.emitted();
      failed += outcome.failedBatches();
      if (outcome.failedBatches() > 0) {
        issues.add(
            outcome.failedBatches() + " GetMetricData batch(es) failed in " + region.describe());
      }
    }
    plannedQueries = plannedTotal;
    marks.polled(window);
    return new PollSummary(
        earliestStart,
        window.end(),
        apis,
        series,
        queries,
        calls,
        datapoints,
        emitted,
        failed,
        issues);
  }

  @Override
  public void close() {
    if (batchExecutor != null) {
      batchExecutor.shutdownNow();
    }
    marks.close();
    accounts.close();
  }
}
