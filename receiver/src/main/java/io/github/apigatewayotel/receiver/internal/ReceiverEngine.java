package io.github.apigatewayotel.receiver.internal;

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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * One poll, synchronously on the caller's thread: resolve the account, rediscover regions whose
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
  private final AwsClients clients;
  private final AwsCallRetrier retrier;
  private final ApiInventoryLoader inventoryLoader;
  private final SeriesLister seriesLister;
  private final MetricDataCollector collector;
  private final HighWaterMarkStore store;
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
  private volatile String accountId;
  private SeriesResolver resolver;
  private int lastLoggedQueries = -1;
  /** Queries per poll of the current plans, readable without waiting for a running poll. */
  private volatile int plannedQueries;

  public ReceiverEngine(ReceiverConfig config, String scopeVersion) {
    this.config = config;
    this.telemetry = new ReceiverTelemetry(config.meterProvider());
    this.pending = new PendingPoints(
        InstrumentationScopeInfo.builder("io.github.apigatewayotel.receiver").setVersion(scopeVersion).build(),
        config.sumTemporality(), config.period().getSeconds(),
        PendingPoints.Limits.of(config.maxPendingPoints(), config.maxExportPoints(), config.pollInterval()),
        telemetry, config.clock());
    this.clients = new AwsClients(config.endpointOverride(), config.credentials(), config.roleArn(),
        config.externalId(), config.regions().get(0), config.leanGetMetricData());
    this.retrier = new AwsCallRetrier(config.maxAttempts(), config.retryBaseDelay(), config.retryMaxDelay(),
        config.sleeper(), telemetry);
    this.inventoryLoader = new ApiInventoryLoader(retrier, problems, telemetry);
    this.seriesLister = new SeriesLister(retrier);
    this.collector = new MetricDataCollector(retrier, new DatapointEmitter(pending), telemetry, problems);
    this.store = config.stateDirectory() == null ? null : new HighWaterMarkStore(config.stateDirectory());
    this.accountId = config.accountId();
    for (String region : config.regions()) {
      regions.add(new RegionPoller(region, inventoryLoader, seriesLister));
    }
    this.persister = store == null ? null : Executors.newSingleThreadExecutor(config.threadFactory());
    if (store != null) {
      pending.onMarksAdvanced(this::marksAdvanced);
    }
    this.batchExecutor = config.getMetricDataConcurrency() > 1
        ? Executors.newFixedThreadPool(config.getMetricDataConcurrency(), config.threadFactory()) : null;
  }

  public PendingPoints pending() {
    return pending;
  }

  /** Queries one poll makes with the current plans (0 before the first discovery). */
  public int queriesPerPoll() {
    return plannedQueries;
  }

  /** One poll; never throws: an unexpected failure is logged and reported in the summary. */
  public PollSummary pollOnce() {
    pollLock.lock();
    try {
      return poll();
    } catch (RuntimeException e) {
      problems.problem("unexpected", "apigateway-otel receiver: poll failed unexpectedly", e);
      Instant now = config.clock().instant();
      return new PollSummary(now, now, 0, 0, plannedQueries, 0, 0, 0, 1, List.of("poll failed unexpectedly: " + e));
    } finally {
      pollLock.unlock();
    }
  }

  private PollSummary poll() {
    Instant now = config.clock().instant();
    CollectionWindow window = CollectionWindow.at(now, config.period(), config.delay(), config.lookback());
    List<String> issues = new ArrayList<>();
    if (!ensureAccount(issues) || !ensureState(issues)) {
      return new PollSummary(window.start(), window.end(), 0, 0, 0, 0, 0, 0, 1, issues);
    }
    int failed = 0;
    int calls = 0;
    int apis = 0;
    int series = 0;
    int queries = 0;
    long datapoints = 0;
    long emitted = 0;
    boolean rediscovered = false;
    Instant earliestStart = window.end();
    for (RegionPoller region : regions) {
      AwsClients.RegionClients regionClients = clients.region(region.region());
      if (region.needsDiscovery(now, config.discoveryInterval())) {
        try {
          region.discover(regionClients, resolver, persistedMarks, now, window);
          rediscovered = true;
          SeriesResolver.Result r = region.resolved();
          ProblemLog.logger().fine(() -> "discovered " + region.region() + ": " + region.inventory().size() + " APIs, "
              + r.series().size() + " series (" + r.unknownApi() + " of unknown APIs, " + r.filteredOut() + " filtered out)");
          problems.resolved("discovery:" + region.region(), "API discovery works again in " + region.region());
        } catch (RuntimeException e) { // SdkException mostly; anything else must not stop other regions
          failed++;
          String message = "apigateway-otel receiver: cannot discover API Gateway APIs in " + region.region() + " ("
              + e.getMessage() + "). Needs apigateway:GET, cloudwatch:ListMetrics; retrying next poll.";
          issues.add(message);
          problems.problem(AwsCallRetrier.isCredentialProblem(e) ? "credentials" : "discovery:" + region.region(), message, null);
        }
      }
      apis += region.inventory().size();
      series += region.seriesCount();
      queries += region.plan().size();
      CollectionWindow regionWindow = region.windowWithin(window);
      long lost = region.periodsOutOfReach(regionWindow);
      if (lost > 0) {
        // Down (or refused by AWS) for longer than the catch-up reach: say so, never silently.
        telemetry.periodsSkipped(lost);
        String message = "apigateway-otel receiver: " + lost + " period(s) in " + region.region()
            + " are older than the " + CollectionWindow.MAX_CATCH_UP_PERIODS
            + " periods a poll can catch up on and were not collected";
        issues.add(message);
        problems.problem("gap:" + region.region(), message, null);
      }
      if (regionWindow.start().isBefore(earliestStart)) {
        earliestStart = regionWindow.start();
      }
      if (regionWindow.isEmpty() || region.plan().size() == 0) {
        continue;
      }
      MetricDataCollector.Outcome outcome = collector.collect(region.region(), regionClients.getMetricData(), region.plan(), regionWindow, batchExecutor);
      if (outcome.failedBatches() == 0 && outcome.incompleteQueries() == 0) {
        region.collected(regionWindow); // else the next poll asks for this window again
      }
      if (outcome.incompleteQueries() > 0) {
        issues.add(outcome.incompleteQueries() + " GetMetricData queries incomplete in " + region.region());
      }
      calls += outcome.calls();
      datapoints += outcome.datapoints();
      emitted += outcome.emitted();
      failed += outcome.failedBatches();
      if (outcome.failedBatches() > 0) {
        issues.add(outcome.failedBatches() + " GetMetricData batch(es) failed in " + region.region());
      }
    }
    plannedQueries = queries;
    if (rediscovered && queries != lastLoggedQueries) {
      lastLoggedQueries = queries;
      int perPollCalls = 0;
      for (RegionPoller region : regions) {
        perPollCalls += region.plan().calls();
      }
      ProblemLog.logger().info("apigateway-otel receiver: " + series + " CloudWatch series in " + regions.size()
          + " region(s) -> " + queries + " GetMetricData queries per poll in " + perPollCalls
          + " call(s); CloudWatch bills every query (metric requested).");
    }
    lastWindow = window;
    return new PollSummary(earliestStart, window.end(), apis, series, queries, calls, datapoints, emitted, failed, issues);
  }

  private boolean ensureAccount(List<String> issues) {
    if (accountId != null) {
      return true;
    }
    try {
      accountId = retrier.call("sts:GetCallerIdentity", () -> clients.stsWithEffectiveCredentials().getCallerIdentity()).account();
      problems.resolved("credentials", "apigateway-otel receiver: AWS access works, account " + accountId);
      return true;
    } catch (SdkException e) {
      String message = "apigateway-otel receiver: no usable AWS credentials or access (" + e.getMessage()
          + "); API Gateway metrics are off until this is fixed. Set credentials (default chain, "
          + "or the receiver's credentials provider / role ARN) or an account id; retrying every poll.";
      issues.add(message);
      problems.problem("credentials", message, null);
      return false;
    }
  }

  private boolean ensureState(List<String> issues) {
    if (resolver == null) {
      resolver = new SeriesResolver(config.filter(), new SeriesAttributes(accountId, config.tagAttributePrefix()));
    }
    if (persistedMarks != null) {
      return true;
    }
    if (store == null) {
      persistedMarks = Map.of();
      return true;
    }
    try {
      persistedMarks = store.load();
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
    try {
      clients.close();
    } catch (RuntimeException e) {
      ProblemLog.logger().log(Level.FINE, "closing AWS clients", e);
    }
  }
}
