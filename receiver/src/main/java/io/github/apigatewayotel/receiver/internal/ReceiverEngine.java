package io.github.apigatewayotel.receiver.internal;

import io.github.apigatewayotel.receiver.CloudWatchCost;
import io.github.apigatewayotel.receiver.PollSummary;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;

/**
 * One poll, synchronously on the caller's thread: resolve the accounts, rediscover regions whose
 * inventory is stale, run every region's query plan over the collection window. The high-water
 * marks are saved once the host has exported the points (or collected them, without export
 * confirmation), off the polling thread. Never throws for AWS trouble: problems are logged once, counted and reported
 * in the {@link PollSummary}, and the next poll tries again.
 */
public final class ReceiverEngine implements AutoCloseable {

  private final ReceiverConfig config;
  private final ReceiverTelemetry telemetry;
  private final ProblemLog problems = new ProblemLog();
  private final PendingPoints pending;
  /** Every access the receiver uses: its own credentials and/or one per role. */
  private final List<AccountAccess> accesses = new ArrayList<>();
  /** The accesses whose accounts are polled (the others, source roles, only discover). */
  private final List<AccountAccess> polled = new ArrayList<>();
  private final AwsCallRetrier retrier;
  private final ApiInventoryLoader inventoryLoader;
  private final SeriesLister seriesLister;
  private final MetricDataCollector collector;
  private final HighWaterMarkStore store;
  /** Fleet mode (issue 18): which regions this replica polls, marks in the fleet table; else null. */
  private final FleetRegions fleet;
  /** One poller per region and account polled. */
  private final List<RegionPoller> regions = new ArrayList<>();
  private final ReentrantLock pollLock = new ReentrantLock();
  /** Runs GetMetricData batches concurrently; null for one at a time on the polling thread. */
  private final ExecutorService batchExecutor;
  private volatile Map<String, Long> persistedMarks;
  /** The latest collection window; marks older than its start are not kept for unplanned queries. */
  private volatile CollectionWindow lastWindow;
  private final Object persistLock = new Object();
  private final AtomicBoolean persistQueued = new AtomicBoolean();
  /** Saves marks off the exporter's thread; null without a state directory. */
  private final ExecutorService persister;
  private final SeriesResolver resolver;
  /** Queries per poll of the current plans, readable without waiting for a running poll. */
  private volatile int plannedQueries;
  /** The cost of each poller's plan as its last discovery made it (read by telemetry too). */
  private final Map<RegionPoller, CloudWatchCost> costs = new ConcurrentHashMap<>();
  /** Ticks of the poll scheduler so far: tick {@code n} polls slice {@code n % slices}. */
  private long ticks;

  public ReceiverEngine(ReceiverConfig config, String scopeVersion) {
    this.config = config;
    this.telemetry = new ReceiverTelemetry(config.meterProvider());
    this.pending = new PendingPoints(
        InstrumentationScopeInfo.builder("io.github.apigatewayotel.receiver").setVersion(scopeVersion).build(),
        config.sumTemporality(), config.period().getSeconds(),
        PendingPoints.Limits.of(config.maxPendingPoints(), config.maxExportPoints(), config.pollInterval()),
        telemetry, config.clock());
    this.retrier = new AwsCallRetrier(config.maxAttempts(), config.retryBaseDelay(), config.retryMaxDelay(),
        config.sleeper(), telemetry);
    this.inventoryLoader = new ApiInventoryLoader(retrier, problems, telemetry);
    this.seriesLister = new SeriesLister(retrier, config.recentlyActiveOnly());
    this.collector = new MetricDataCollector(retrier, new DatapointEmitter(pending), telemetry, problems);
    this.fleet = config.fleet() == null ? null
        : new FleetRegions(config.fleet(), () -> List.copyOf(regions), config.period().getSeconds());
    this.store = config.stateDirectory() == null || fleet != null ? null
        : new HighWaterMarkStore(config.stateDirectory());
    this.resolver = new SeriesResolver(config.filter(), new SeriesAttributes(config.tagAttributePrefix()),
        config.metrics());
    planPollers();
    telemetry.observeCosts(this::costs);
    this.persister = store == null && fleet == null ? null : Executors.newSingleThreadExecutor(config.threadFactory());
    if (persister != null) {
      pending.onMarksAdvanced(this::marksAdvanced);
    }
    if (fleet != null) {
      pending.fenceExports(fleet::checkLeases);
    }
    this.batchExecutor = config.getMetricDataConcurrency() > 1
        ? Executors.newFixedThreadPool(config.getMetricDataConcurrency(), config.threadFactory()) : null;
  }

  /**
   * One poller per region and account read: the receiver's own credentials' account, or each
   * role's; or, for a CloudWatch monitoring account read with its linked accounts, the own
   * credentials' account, whose pollers discover the source accounts through the roles.
   */
  private void planPollers() {
    List<String> roles = config.roleArns();
    boolean several = config.linkedAccounts() || roles.size() > 1;
    List<AccountAccess> roleAccesses = new ArrayList<>();
    for (String role : roles) {
      // a configured account id names the one account read: the role's when it is the only one
      String configured = !config.linkedAccounts() && roles.size() == 1 ? config.accountId() : null;
      roleAccesses.add(new AccountAccess(role, new AwsClients(config.endpointOverride(), config.credentials(), role,
          config.externalId(), config.regions().get(0)), configured));
    }
    accesses.addAll(roleAccesses);
    if (config.linkedAccounts() || roles.isEmpty()) {
      AccountAccess own = new AccountAccess(null, new AwsClients(config.endpointOverride(), config.credentials(), null,
          null, config.regions().get(0), config.linkedAccounts()), config.accountId());
      accesses.add(own);
      polled.add(own);
    } else {
      polled.addAll(roleAccesses);
    }
    for (AccountAccess access : polled) {
      for (String region : config.regions()) {
        regions.add(new RegionPoller(region, access, inventoryLoader, seriesLister, config.pollSlices(), several,
            config.linkedAccounts()
            ? new SourceAccountInventories(region, roleAccesses, inventoryLoader, problems) : null));
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
    for (AccountAccess access : accesses) {
      if (access.roleArn() == null) {
        access.accountIdFrom(source);
      }
    }
  }

  /** Queries one poll makes with the current plans (0 before the first discovery). */
  public int queriesPerPoll() {
    return plannedQueries;
  }

  /** The cost of each poller's plan, as its last discovery made it, in poller order. */
  public List<CloudWatchCost> costs() {
    List<CloudWatchCost> ordered = new ArrayList<>();
    for (RegionPoller region : regions) {
      CloudWatchCost cost = costs.get(region);
      if (cost != null) {
        ordered.add(cost);
      }
    }
    return ordered;
  }

  /** One poll of every query; never throws: an unexpected failure is logged and reported in the summary. */
  public PollSummary pollOnce() {
    return pollLocked(QueryPlan.ALL);
  }

  /**
   * One tick of the poll scheduler: the next slice of every region's plan, so each query is read
   * once per poll interval and the interval's points, calls and CPU are spread over its ticks.
   * With one slice, the same as {@link #pollOnce()}.
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
      return new PollSummary(now, now, 0, 0, plannedQueries, 0, 0, 0, 1, List.of("poll failed unexpectedly: " + e));
    } finally {
      pollLock.unlock();
    }
  }

  private PollSummary poll(int slice) {
    Instant now = config.clock().instant();
    CollectionWindow window = CollectionWindow.at(now, config.period(), config.delay(), config.lookback());
    List<String> issues = new ArrayList<>();
    int unresolved = resolveAccounts(issues);
    if (unresolved == polled.size() || !ensureState(issues)) {
      return new PollSummary(window.start(), window.end(), 0, 0, 0, 0, 0, 0, Math.max(1, unresolved), issues);
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
      Map<String, Long> marks = persistedMarks;
      if (fleet != null) {
        FleetRegions.Admission admission = fleet.admit(polled, issues);
        if (admission == FleetRegions.Admission.NOT_HELD) {
          continue; // another replica polls it (or the fleet table cannot be used: none does here)
        }
        if (admission == FleetRegions.Admission.NEW_LEASE) {
          costs.remove(polled);
          polled = polled.fresh(); // from the shared marks, not from what this replica polled before
          regions.set(index, polled);
          fleet.polling(polled);
        }
        if (polled.needsDiscovery(now, config.discoveryInterval())) {
          marks = fleet.takenOverMarks(polled);
        }
      }
      RegionPoller region = polled;
      if (region.needsDiscovery(now, config.discoveryInterval())) {
        try {
          region.discover(resolver, marks, now, window);
          SeriesResolver.Result r = region.resolved();
          ProblemLog.logger().fine(() -> "discovered " + region.describe() + ": " + region.inventory().size() + " APIs, "
              + r.series().size() + " series (" + r.unknownApi() + " of unknown APIs, " + r.filteredOut() + " filtered out, "
              + r.undiscovered() + " of accounts without a role)");
          costAfterDiscovery(region);
          problems.resolved("discovery:" + region.describe(), "API discovery works again in " + region.describe());
        } catch (RuntimeException e) { // SdkException mostly; anything else must not stop other regions
          failed++;
          AwsProblem problem = AwsProblem.of(e, region.discoveryAction());
          String message = "apigateway-otel receiver: cannot discover API Gateway APIs in " + region.describe()
              + (region.access().roleArn() == null ? "" : " through " + region.access().describe()) + ": "
              + problem.describe() + problems.retrying("retrying next poll");
          issues.add(message);
          problems.problem(problem.isCredentials() ? "credentials" : "discovery:" + region.describe(), message, null);
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
        String message = "apigateway-otel receiver: " + lost + " period(s) in " + region.describe()
            + " are older than the " + CollectionWindow.MAX_CATCH_UP_PERIODS
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
      MetricDataCollector.Outcome outcome = collector.collect(region.describe(),
          region.access().clients().region(region.region()).getMetricData(), region.plan(), slice, regionWindow,
          batchExecutor);
      if (outcome.failedBatches() == 0 && outcome.incompleteQueries() == 0) {
        region.collected(regionWindow, slice); // else the next poll asks for this window again
      }
      if (outcome.incompleteQueries() > 0) {
        issues.add(outcome.incompleteQueries() + " GetMetricData queries incomplete in " + region.describe());
      }
      calls += outcome.calls();
      datapoints += outcome.datapoints();
      emitted += outcome.emitted();
      failed += outcome.failedBatches();
      if (outcome.failedBatches() > 0) {
        issues.add(outcome.failedBatches() + " GetMetricData batch(es) failed in " + region.describe());
      }
    }
    plannedQueries = plannedTotal;
    lastWindow = window;
    return new PollSummary(earliestStart, window.end(), apis, series, queries, calls, datapoints, emitted, failed, issues);
  }

  /**
   * After a discovery of {@code region}: its plan's cost at CloudWatch's price, logged (one line
   * per region and account polled, and discovery, so the bill is never a surprise) and kept for
   * the cost gauges.
   */
  private void costAfterDiscovery(RegionPoller region) {
    CloudWatchCost cost = new CloudWatchCost(region.region(), region.accountInKey() ? region.access().accountId() : null,
        region.plan().size(), region.plan().callsPerInterval(), config.pollInterval(),
        config.pricePerThousandMetricRequests());
    costs.put(region, cost);
    ProblemLog.logger().info(String.format(java.util.Locale.ROOT, "apigateway-otel receiver: CloudWatch cost in %s (%,d"
        + " series; CloudWatch bills each statistic of each series once per poll)", cost, region.seriesCount()));
  }

  /**
   * Resolves the account of every access a poller uses; returns how many do not work yet (each
   * reported once and retried every poll; the others are polled meanwhile).
   */
  private int resolveAccounts(List<String> issues) {
    int unresolved = 0;
    for (AccountAccess access : polled) {
      if (!access.resolveAccount(retrier, problems, issues)) {
        unresolved++;
      }
    }
    return unresolved;
  }

  private boolean ensureState(List<String> issues) {
    if (persistedMarks != null) {
      return true;
    }
    if (store == null) {
      persistedMarks = Map.of();
      return true;
    }
    try {
      HighWaterMarkStore.Marks loaded = store.load(config.lookback());
      if (loaded.resumeFrom() != null) { // damaged (logged, set aside): resume from its last save
        regions.forEach(region -> region.resumeFrom(loaded.resumeFrom()));
      }
      persistedMarks = loaded.marks();
      return true;
    } catch (IOException e) {
      String message = "apigateway-otel receiver: cannot read the state directory " + config.stateDirectory() + " (" + e + ")";
      issues.add(message);
      problems.problem("state-read", message, e);
      return false; // never export without the marks: that could repeat periods
    }
  }

  /** Queues a save of the marks; saves coalesce while one is queued. */
  private void marksAdvanced() {
    if (persistQueued.compareAndSet(false, true)) {
      try {
        persister.execute(() -> {
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
    if (fleet != null) {
      synchronized (persistLock) {
        fleet.saveMarks();
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
      loaded.forEach((key, mark) -> {
        if (mark >= oldest && !planned.contains(key)) {
          retained.put(key, mark);
        }
      });
      try {
        store.save(plans, retained);
        problems.resolved("state-write", "state directory writable again");
      } catch (IOException e) {
        problems.problem("state-write", "apigateway-otel receiver: cannot write high-water marks to "
            + config.stateDirectory() + " (" + e + "); a restart may repeat exported periods", e);
      }
    }
  }

  @Override
  public void close() {
    if (batchExecutor != null) {
      batchExecutor.shutdownNow();
    }
    if (persister != null) {
      persister.shutdown();
      try {
        persister.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      persistMarks();
    }
    for (AccountAccess access : accesses) {
      try {
        access.close();
      } catch (RuntimeException e) {
        ProblemLog.logger().log(Level.FINE, "closing AWS clients", e);
      }
    }
  }
}
