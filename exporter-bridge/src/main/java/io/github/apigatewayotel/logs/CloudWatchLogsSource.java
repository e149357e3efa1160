package io.github.apigatewayotel.logs;

import io.github.apigatewayotel.logs.internal.AwsProblem;
import io.github.apigatewayotel.logs.internal.DeliveryBatch;
import io.github.apigatewayotel.logs.internal.execution.ExecutionLogGroups;
import io.github.apigatewayotel.logs.internal.cloudwatch.AwsFailure;
import io.github.apigatewayotel.logs.internal.cloudwatch.CheckpointStore;
import io.github.apigatewayotel.logs.internal.cloudwatch.CloudWatchLogsSourceMetrics;
import io.github.apigatewayotel.logs.internal.cloudwatch.GroupSchedule;
import io.github.apigatewayotel.logs.internal.cloudwatch.LogGroupDiscovery;
import io.github.apigatewayotel.logs.internal.cloudwatch.LogGroupReader;
import io.github.apigatewayotel.logs.internal.cloudwatch.RetryBackoff;
import io.opentelemetry.api.metrics.MeterProvider;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * Reads API Gateway access logs from CloudWatch Logs and hands every line to an {@link
 * AccessLogBridge}: log groups by name and by name prefix (found with DescribeLogGroups, refreshed
 * periodically), read with FilterLogEvents from a per-group checkpoint.
 *
 * <p>Nothing lost, nothing repeated: each group's checkpoint holds a floor timestamp and the ids of
 * the events already emitted at or after it; every query starts at the floor and skips seen ids.
 * The floor trails the end of each poll by an ingestion-delay overlap, so events CloudWatch ingests
 * late are still found. With a state directory the checkpoint is saved atomically after every
 * page, so a restart resumes exactly where the last page ended.
 *
 * <p>Failures never reach the caller, and one group's failure does not starve the others. After
 * the AWS SDK's own retries, a group that fails (access denied for it alone, a 5xx stuck on it)
 * backs off on its own (exponential, jittered, at most {@link RetryBackoff#MAX_DELAY}) while the
 * poll goes on with the other groups. Throttling, network and credential failures hit the whole
 * account, so they also end the poll and back off the source; the next poll starts with the group
 * after the last one served, so every group is still reached. A group that no longer exists is
 * dropped. A failed discovery keeps the groups already known and the named ones. Each problem is
 * logged once per group and kind, and everything is counted under {@code
 * apigateway_otel.logs.cloudwatch.*}.
 */
public final class CloudWatchLogsSource implements AutoCloseable {

  private static final Logger LOGGER = Logger.getLogger(CloudWatchLogsSource.class.getName());

  /** The seed's convention: API Gateway access-log groups are named {@code api-gateway...}. */
  public static final String DEFAULT_LOG_GROUP_PREFIX = "api-gateway";

  /** Default of {@link CloudWatchLogsSourceBuilder#setLookback}: how far back a group is read the first time. */
  public static final Duration DEFAULT_LOOKBACK = Duration.ofMinutes(15);

  /**
   * Default of {@link CloudWatchLogsSourceBuilder#setPollInterval}: 10 seconds, the plugin's documented {@code
   * otel.apigateway.logs.interval} (this builder said 1 minute and the plugin 10 seconds; the
   * plugin's value is the one users run and read): a record leaves about 10 seconds after
   * CloudWatch Logs holds its line, for one FilterLogEvents call per group with new events per poll.
   */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(10);

  /**
   * Default of {@link CloudWatchLogsSourceBuilder#setDiscoveryInterval}: 15 minutes, the plugin's documented {@code
   * otel.apigateway.discovery.interval}, which also paces the metrics receiver's discovery (this
   * builder said 5 minutes): new access-log groups appear only when a stage starts logging, and
   * every discovery pages through DescribeLogGroups.
   */
  public static final Duration DEFAULT_DISCOVERY_INTERVAL = Duration.ofMinutes(15);

  /**
   * How far behind the end of a poll the next one starts again. CloudWatch Logs usually ingests
   * API Gateway access logs within seconds, but delays of minutes happen; events ingested later
   * than this with an older timestamp are missed.
   */
  public static final Duration DEFAULT_INGESTION_OVERLAP = Duration.ofMinutes(5);

  /** The key under which discovery problems are reported (once each). */
  private static final String DISCOVERY = "log group discovery";

  private final CloudWatchLogsClient client;
  private final boolean ownsClient;
  /** Null when reading execution logs. */
  private final AccessLogBridge bridge;
  /** Null when reading access logs. */
  private final ExecutionLogBridge executionLogs;
  private final Function<String, AccessLogFormat> formatForGroup;
  private final Function<String, ApiStage> stageForGroup;
  private final Set<String> logGroupNames;
  private final List<Supplier<? extends Collection<String>>> logGroupNameSuppliers;
  private final LogGroupDiscovery discovery;
  private final LogGroupReader reader;
  private final CloudWatchLogsSourceMetrics metrics;
  /** Backs off the whole source after failures that hit every group (throttling, network). */
  private final RetryBackoff accountBackoff;
  /** Backs off discovery alone: reading the known groups goes on meanwhile. */
  private final RetryBackoff discoveryBackoff;
  private final GroupSchedule schedule;
  private final Clock clock;
  private final Duration pollInterval;
  private final long discoveryIntervalMillis;
  private final String cloudRegion;
  /** Asked at each poll while the account is unknown; null when it was given as a value. */
  private final Supplier<String> cloudAccountIdSupplier;
  private volatile String cloudAccountId;
  private final Map<String, LogOrigin> origins = new HashMap<>();
  private final Set<String> reportedProblems = ConcurrentHashMap.newKeySet();
  /** What went wrong in the poll in hand, for its caller. */
  private final List<String> pollProblems = new ArrayList<>();

  private volatile boolean closed;
  private volatile ScheduledFuture<?> scheduled;
  /** Set before the first scheduled poll can run: only a started source tries again. */
  private volatile boolean repeating;
  private volatile Set<String> groups = Set.of();
  /** What the last successful discovery found, kept while discovery fails. */
  private Set<String> discovered = Set.of();
  private long nextDiscoveryMillis = Long.MIN_VALUE;

  CloudWatchLogsSource(CloudWatchLogsSourceBuilder builder, CloudWatchLogsClient client, boolean ownsClient) {
    this.client = client;
    this.ownsClient = ownsClient;
    this.bridge = builder.bridge;
    this.executionLogs = builder.executionLogs;
    this.formatForGroup = builder.formatForGroup;
    this.stageForGroup = builder.stageForGroup;
    this.logGroupNames = Set.copyOf(builder.logGroupNames);
    this.logGroupNameSuppliers = List.copyOf(builder.logGroupNameSuppliers);
    this.clock = builder.clock;
    this.pollInterval = builder.pollInterval;
    this.discoveryIntervalMillis = builder.discoveryInterval.toMillis();
    this.cloudRegion = builder.cloudRegion != null ? builder.cloudRegion : builder.clientSettings.region();
    this.cloudAccountId = builder.cloudAccountId;
    this.cloudAccountIdSupplier = builder.cloudAccountIdSupplier;
    this.accountBackoff = new RetryBackoff(builder.random);
    this.discoveryBackoff = new RetryBackoff(builder.random);
    this.schedule = new GroupSchedule(builder.random);
    this.metrics =
        new CloudWatchLogsSourceMetrics(
            builder.meterProvider == null ? MeterProvider.noop() : builder.meterProvider,
            () -> groups.size());
    List<String> prefixes = new ArrayList<>(builder.logGroupPrefixes);
    if (prefixes.isEmpty() && logGroupNames.isEmpty()) {
      prefixes.add(executionLogs != null ? ExecutionLogGroups.PREFIX : DEFAULT_LOG_GROUP_PREFIX);
    }
    this.discovery = new LogGroupDiscovery(client, prefixes, metrics);
    CheckpointStore store =
        builder.stateDirectory == null
            ? CheckpointStore.none()
            : CheckpointStore.inDirectory(builder.stateDirectory, cloudRegion);
    this.reader =
        new LogGroupReader(
            client,
            store,
            this::emit,
            metrics,
            builder.lookback,
            builder.ingestionOverlap,
            builder.pageSize,
            builder.maxSeenEventIds,
            () -> closed,
            this::openDeliveryBatch);
  }

  /** A builder for a source that hands lines to {@code bridge}. */
  public static CloudWatchLogsSourceBuilder builder(AccessLogBridge bridge) {
    return new CloudWatchLogsSourceBuilder(Objects.requireNonNull(bridge, "bridge"), null);
  }

  /**
   * A builder for a source of API Gateway execution logs: groups named {@code
   * API-Gateway-Execution-Logs_{apiId}/{stage}} (the default prefix), each event handed to {@code
   * bridge} with the API and stage its group names; checkpoints and delivery as for access logs.
   */
  public static CloudWatchLogsSourceBuilder executionLogsBuilder(ExecutionLogBridge bridge) {
    return new CloudWatchLogsSourceBuilder(null, Objects.requireNonNull(bridge, "bridge"))
        .setStageForGroup(ExecutionLogGroups::stageOf);
  }

  private DeliveryBatch openDeliveryBatch() {
    return executionLogs != null ? executionLogs.openDeliveryBatch() : bridge.openDeliveryBatch();
  }

  /**
   * Reads every group up to now, synchronously (discovering groups first when due). Never throws:
   * failures are logged, counted, back off the next attempt (of the group, or of the source when
   * the failure hits every group), and returned.
   */
  public synchronized CloudWatchLogsPoll pollOnce() {
    pollProblems.clear();
    if (closed) {
      return new CloudWatchLogsPoll(0, List.of());
    }
    long now = clock.millis();
    if (!accountBackoff.mayTry(now)) {
      LOGGER.log(Level.FINE, "CloudWatch Logs: backing off, poll skipped");
      return new CloudWatchLogsPoll(0, List.of("skipped: backing off after a failure that hit every group"));
    }
    refreshAccountId();
    refreshGroupsIfDue(now);
    int read = 0;
    for (String group : schedule.order(groups, now)) {
      if (closed || !readGroup(group, now)) {
        break;
      }
      read++;
    }
    return new CloudWatchLogsPoll(read, List.copyOf(pollProblems));
  }

  /** While the account id is unknown, asks the supplier (which backs off by itself). */
  private void refreshAccountId() {
    if (cloudAccountId != null || cloudAccountIdSupplier == null) {
      return;
    }
    try {
      String found = cloudAccountIdSupplier.get();
      if (found != null && !found.isBlank()) {
        cloudAccountId = found;
      }
    } catch (RuntimeException e) {
      metrics.error("AccountId", "supplier");
      LOGGER.log(Level.FINE, "The account id supplier failed; records carry no cloud.account.id", e);
    }
  }

  /**
   * Reads one group; returns false when the poll must end (closed, or a failure that hits every
   * group, which the next poll retries from this group on).
   */
  private boolean readGroup(String group, long now) {
    try {
      if (!reader.read(group, now)) {
        return false; // closed mid-read: what was handed over is checkpointed
      }
      schedule.served(group);
      accountBackoff.succeeded();
      reportedProblems.removeIf(problem -> problem.startsWith(group + "\n"));
      return true;
    } catch (RuntimeException e) {
      if (closed) {
        return false; // the client was closed under a poll in progress: not a failure to report
      }
      AwsProblem problem = AwsProblem.of(e, "logs:" + LogGroupReader.OPERATION);
      AwsFailure failure = AwsFailure.of(problem);
      metrics.groupError(LogGroupReader.OPERATION, failure.errorType(), group);
      if (failure == AwsFailure.NOT_FOUND) {
        dropGroup(group);
        return true;
      }
      Duration delay = schedule.failed(group, now);
      if (hitsEveryGroup(failure)) {
        // Asking the other groups now would only spend more of the account's quota (or wait on
        // the same dead network): stop, and start with this group next time.
        delay = accountBackoff.failed(now);
        report(group, failure, problem, delay);
        return false;
      }
      report(group, failure, problem, delay);
      return true;
    }
  }

  /**
   * Throttling (FilterLogEvents has one quota per account and region), the network and the
   * credentials fail every group alike; access denied, a bad parameter or a 5xx may be one group's.
   */
  private static boolean hitsEveryGroup(AwsFailure failure) {
    return failure == AwsFailure.THROTTLED
        || failure == AwsFailure.NETWORK
        || failure == AwsFailure.CREDENTIALS;
  }

  /**
   * Polls on {@code executor} every poll interval (the first poll at once) until {@link #close()}.
   * The task never throws, so the schedule is never cancelled by a failure.
   */
  public synchronized void start(ScheduledExecutorService executor) {
    Objects.requireNonNull(executor, "executor");
    if (closed) {
      throw new IllegalStateException("closed");
    }
    if (scheduled != null) {
      throw new IllegalStateException("already started");
    }
    repeating = true;
    scheduled =
        executor.scheduleWithFixedDelay(
            this::pollSafely, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The groups read in the current cycle (names and discovered prefixes). */
  public Set<String> logGroups() {
    return groups;
  }

  /**
   * Stops polling: a poll in progress stops before its next page (what it already handed over is
   * checkpointed). Closes the AWS client if this source built it. Does not wait.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    ScheduledFuture<?> task = scheduled;
    if (task != null) {
      task.cancel(false);
    }
    metrics.close();
    if (ownsClient) {
      try {
        client.close();
      } catch (RuntimeException e) {
        LOGGER.log(Level.FINE, "Closing the CloudWatch Logs client failed", e);
      }
    }
  }

  private void pollSafely() {
    try {
      pollOnce();
    } catch (RuntimeException | LinkageError e) {
      LOGGER.log(Level.WARNING, "CloudWatch Logs poll failed unexpectedly; next poll continues", e);
    }
  }

  /**
   * Sets the groups to read: the named and supplied ones, and what discovery finds. When
   * discovery fails (a role without logs:DescribeLogGroups, an outage), the groups it found last
   * are kept, and it is tried again after a backoff of its own.
   */
  private void refreshGroupsIfDue(long now) {
    if (now < nextDiscoveryMillis) {
      return;
    }
    Set<String> found = new LinkedHashSet<>(logGroupNames);
    addSuppliedNames(found);
    nextDiscoveryMillis = now + discoveryIntervalMillis;
    if (discovery.hasPrefixes()) {
      try {
        discovered = discovery.discover();
        discoveryBackoff.succeeded();
        reportedProblems.removeIf(problem -> problem.startsWith(DISCOVERY + "\n"));
      } catch (RuntimeException e) {
        AwsProblem problem = AwsProblem.of(e, "logs:" + LogGroupDiscovery.OPERATION);
        AwsFailure failure = AwsFailure.of(problem);
        metrics.error(LogGroupDiscovery.OPERATION, failure.errorType());
        Duration delay = discoveryBackoff.failed(now);
        nextDiscoveryMillis = now + Math.min(delay.toMillis(), discoveryIntervalMillis);
        report(DISCOVERY, failure, problem, delay);
      }
    }
    found.addAll(discovered);
    if (!found.equals(groups)) {
      LOGGER.log(Level.INFO, "CloudWatch Logs: reading log groups {0}", found);
    }
    groups = Collections.unmodifiableSet(found);
    schedule.retainOnly(found);
  }

  /** Names from the suppliers (e.g. stages' access-log groups); a failing one adds nothing. */
  private void addSuppliedNames(Set<String> found) {
    for (Supplier<? extends Collection<String>> supplier : logGroupNameSuppliers) {
      try {
        Collection<String> names = supplier.get();
        if (names != null) {
          names.stream().filter(name -> name != null && !name.isBlank()).forEach(found::add);
        }
      } catch (RuntimeException e) {
        metrics.error("LogGroupNameSupplier", "supplier");
        if (reportedProblems.add(DISCOVERY + "\nsupplier")) {
          LOGGER.log(Level.WARNING, "A log group name supplier failed; its groups are skipped", e);
        }
      }
    }
  }

  private void dropGroup(String group) {
    Set<String> remaining = new LinkedHashSet<>(groups);
    remaining.remove(group);
    groups = Collections.unmodifiableSet(remaining);
    if (discovered.contains(group)) {
      Set<String> stillThere = new LinkedHashSet<>(discovered);
      stillThere.remove(group);
      discovered = stillThere;
    }
    reader.forget(group);
    schedule.forget(group);
    synchronized (origins) {
      origins.keySet().removeIf(key -> key.startsWith(group + "\n"));
    }
    if (reportedProblems.add(group + "\nnot_found")) {
      LOGGER.log(
          Level.WARNING,
          "CloudWatch Logs group {0} does not exist (deleted?); no longer reading it",
          group);
    }
  }

  private void report(String group, AwsFailure failure, AwsProblem problem, Duration delay) {
    String message =
        "CloudWatch Logs "
            + (group.equals(DISCOVERY) ? DISCOVERY : "group " + group)
            + (cloudRegion == null ? "" : " in " + cloudRegion)
            + ": "
            + problem.describe()
            // Only a started source tries again; a single poll (--once) ends here.
            + (repeating ? "; next attempt in " + delay.toSeconds() + " s" : "");
    pollProblems.add(message);
    if (reportedProblems.add(group + "\n" + failure.errorType())) {
      LOGGER.log(Level.WARNING, message);
    } else {
      LOGGER.log(Level.FINE, message);
    }
  }

  private void emit(String logGroup, String logStream, long timestampMillis, String message) {
    try {
      if (cloudAccountId == null && cloudAccountIdSupplier != null) {
        metrics.accountUnknown();
      }
      LogOrigin origin = originOf(logGroup, logStream);
      if (executionLogs != null) {
        executionLogs.emit(message, origin, timestampMillis);
        return;
      }
      AccessLogFormat format = formatOf(logGroup);
      bridge.emit(format == null ? bridge.format() : format, message, origin, timestampMillis);
    } catch (RuntimeException e) {
      metrics.error("Emit", "bridge");
      LOGGER.log(Level.FINE, "The bridge refused a line of " + logGroup, e);
    }
  }

  /** The group's own format, or null for the bridge's; a failing lookup must not lose the line. */
  private AccessLogFormat formatOf(String logGroup) {
    if (formatForGroup == null) {
      return null;
    }
    try {
      return formatForGroup.apply(logGroup);
    } catch (RuntimeException e) {
      metrics.error("FormatForGroup", "format_lookup");
      if (reportedProblems.add(logGroup + "\nformat_lookup")) {
        LOGGER.log(
            Level.WARNING,
            "Looking up the access-log format of " + logGroup + " failed; using the default",
            e);
      }
      return null;
    }
  }

  private LogOrigin originOf(String logGroup, String logStream) {
    String key = logGroup + "\n" + logStream;
    ApiStage stage = stageOf(logGroup);
    synchronized (origins) {
      LogOrigin origin = origins.get(key);
      // Rebuilt only when the group's stage (or the account, once known) changes: one origin per
      // stream keeps the bridge's per-origin attribute cache warm.
      if (origin == null
          || !sameStage(origin, stage)
          || !Objects.equals(origin.cloudAccountId(), cloudAccountId)) {
        origin = LogOrigin.cloudWatchLogs(logGroup, logStream, cloudRegion, cloudAccountId);
        if (stage != null) {
          origin = origin.withApiStage(stage.apiId(), stage.stage(), stage.apiType());
        }
        origins.put(key, origin);
      }
      return origin;
    }
  }

  private static boolean sameStage(LogOrigin origin, ApiStage stage) {
    return stage == null
        ? origin.apiId() == null
        : stage.apiId().equals(origin.apiId())
            && stage.stage().equals(origin.stage())
            && java.util.Objects.equals(stage.apiType(), origin.apiType());
  }

  /** The stage known to write to the group, or null; a failing lookup must not lose the line. */
  private ApiStage stageOf(String logGroup) {
    if (stageForGroup == null) {
      return null;
    }
    try {
      return stageForGroup.apply(logGroup);
    } catch (RuntimeException e) {
      metrics.error("StageForGroup", "stage_lookup");
      if (reportedProblems.add(logGroup + "\nstage_lookup")) {
        LOGGER.log(Level.WARNING, "Looking up the API stage of " + logGroup + " failed", e);
      }
      return null;
    }
  }
}
