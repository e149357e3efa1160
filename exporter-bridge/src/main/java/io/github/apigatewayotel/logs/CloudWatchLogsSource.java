package io.github.apigatewayotel.logs;

import io.github.apigatewayotel.logs.internal.cloudwatch.AwsFailure;
import io.github.apigatewayotel.logs.internal.cloudwatch.CheckpointStore;
import io.github.apigatewayotel.logs.internal.cloudwatch.CloudWatchLogsSourceMetrics;
import io.github.apigatewayotel.logs.internal.cloudwatch.FleetGroups;
import io.github.apigatewayotel.logs.internal.cloudwatch.GroupSchedule;
import io.github.apigatewayotel.logs.internal.cloudwatch.LogGroupDiscovery;
import io.github.apigatewayotel.logs.internal.cloudwatch.LogGroupReader;
import io.github.apigatewayotel.logs.internal.cloudwatch.LogGroupRoster;
import io.github.apigatewayotel.logs.internal.cloudwatch.RetryBackoff;
import io.github.apigatewayotel.logs.internal.cloudwatch.SourceProblems;
import io.github.apigatewayotel.logs.internal.execution.ExecutionLogGroups;
import io.github.apigatewayotel.state.internal.AwsProblem;
import io.opentelemetry.api.metrics.MeterProvider;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.annotation.Nullable;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * Reads API Gateway access logs from CloudWatch Logs and hands every line to an {@link
 * AccessLogBridge}: log groups by name and by name prefix (found with DescribeLogGroups, refreshed
 * periodically), read with FilterLogEvents from a per-group checkpoint.
 *
 * <p>Nothing lost, nothing repeated: each group's checkpoint holds a floor timestamp and the ids of
 * the events already emitted at or after it; every query starts at the floor and skips seen ids.
 * The floor trails the end of each poll by an ingestion-delay overlap, so events CloudWatch ingests
 * late are still found. With a state directory the checkpoint is saved atomically after every page,
 * so a restart resumes exactly where the last page ended.
 *
 * <p>Failures never reach the caller, and one group's failure does not starve the others. After the
 * AWS SDK's own retries, a group that fails (access denied for it alone, a 5xx stuck on it) backs
 * off on its own (exponential, jittered, at most {@link RetryBackoff#MAX_DELAY}) while the poll
 * goes on with the other groups. Throttling, network and credential failures hit the whole account,
 * so they also end the poll and back off the source; the next poll starts with the group after the
 * last one served, so every group is still reached. A group that no longer exists is dropped. A
 * failed discovery keeps the groups already known and the named ones. Each problem is logged once
 * per group and kind, and everything is counted under {@code apigateway_otel.logs.cloudwatch.*}.
 */
public final class CloudWatchLogsSource implements AutoCloseable {

  private static final Logger logger = Logger.getLogger(CloudWatchLogsSource.class.getName());

  /** The seed's convention: API Gateway access-log groups are named {@code api-gateway...}. */
  public static final String DEFAULT_LOG_GROUP_PREFIX = "api-gateway";

  /**
   * Default of {@link CloudWatchLogsSourceBuilder#setLookback}: how far back a group is read the
   * first time.
   */
  public static final Duration DEFAULT_LOOKBACK = Duration.ofMinutes(15);

  /**
   * Default of {@link CloudWatchLogsSourceBuilder#setPollInterval}: 10 seconds, the plugin's
   * documented {@code otel.apigateway.logs.interval} (this builder said 1 minute and the plugin 10
   * seconds; the plugin's value is the one users run and read): a record leaves about 10 seconds
   * after CloudWatch Logs holds its line, for one FilterLogEvents call per group with new events
   * per poll.
   */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(10);

  /**
   * Default of {@link CloudWatchLogsSourceBuilder#setDiscoveryInterval}: 15 minutes, the plugin's
   * documented {@code otel.apigateway.discovery.interval}, which also paces the metrics receiver's
   * discovery (this builder said 5 minutes): new access-log groups appear only when a stage starts
   * logging, and every discovery pages through DescribeLogGroups.
   */
  public static final Duration DEFAULT_DISCOVERY_INTERVAL = Duration.ofMinutes(15);

  /**
   * How far behind the end of a poll the next one starts again. CloudWatch Logs usually ingests API
   * Gateway access logs within seconds, but delays of minutes happen; events ingested later than
   * this with an older timestamp are missed.
   */
  public static final Duration DEFAULT_INGESTION_OVERLAP = Duration.ofMinutes(5);

  private final CloudWatchLogsClient client;
  private final boolean ownsClient;
  private final LogGroupRoster roster;
  private final LogEventRouter router;
  private final LogGroupReader reader;

  /** In fleet mode (issue 18), which groups this replica reads now; else null. */
  @Nullable private final FleetGroups fleetGroups;

  private final CloudWatchLogsSourceMetrics metrics;
  private final SourceProblems problems;

  /** Backs off the whole source after failures that hit every group (throttling, network). */
  private final RetryBackoff accountBackoff;

  private final GroupSchedule schedule;
  private final Clock clock;
  private final Duration pollInterval;

  private volatile boolean closed;
  @Nullable private volatile ScheduledFuture<?> scheduled;

  CloudWatchLogsSource(
      CloudWatchLogsSourceBuilder builder, CloudWatchLogsClient client, boolean ownsClient) {
    this.client = client;
    this.ownsClient = ownsClient;
    this.clock = builder.clock;
    this.pollInterval = builder.pollInterval;
    String cloudRegion =
        builder.cloudRegion != null ? builder.cloudRegion : builder.clientSettings.region();
    this.accountBackoff = new RetryBackoff(builder.random);
    this.schedule = new GroupSchedule(builder.random);
    this.problems = new SourceProblems(logger, cloudRegion);
    this.metrics =
        new CloudWatchLogsSourceMetrics(
            builder.meterProvider == null ? MeterProvider.noop() : builder.meterProvider,
            () -> logGroups().size());
    List<String> prefixes = new ArrayList<>(builder.logGroupPrefixes);
    if (prefixes.isEmpty() && builder.logGroupNames.isEmpty()) {
      prefixes.add(
          builder.executionLogs != null ? ExecutionLogGroups.PREFIX : DEFAULT_LOG_GROUP_PREFIX);
    }
    this.roster =
        new LogGroupRoster(
            builder.logGroupNames,
            builder.logGroupNameSuppliers,
            new LogGroupDiscovery(client, prefixes, metrics),
            builder.discoveryInterval,
            builder.random,
            metrics,
            problems,
            logger);
    this.router =
        new LogEventRouter(
            builder.bridge,
            builder.executionLogs,
            builder.formatForGroup,
            builder.stageForGroup,
            cloudRegion,
            builder.cloudAccountId,
            builder.cloudAccountIdSupplier,
            metrics,
            problems);
    this.fleetGroups =
        builder.fleet == null
            ? null
            : new FleetGroups(
                builder.fleet,
                cloudRegion,
                router::accountId,
                builder.cloudAccountIdSupplier != null,
                roster::groups);
    CheckpointStore store =
        fleetGroups != null
            ? CheckpointStore.shared(fleetGroups)
            : builder.stateDirectory == null
                ? CheckpointStore.none()
                : CheckpointStore.inDirectory(builder.stateDirectory, cloudRegion);
    this.reader =
        new LogGroupReader(
            client,
            store,
            router::emit,
            metrics,
            builder.lookback,
            builder.ingestionOverlap,
            builder.pageSize,
            builder.maxSeenEventIds,
            () -> closed || (fleetGroups != null && fleetGroups.lostCurrent()),
            router::openDeliveryBatch);
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

  /**
   * Reads every group up to now, synchronously (discovering groups first when due). Never throws:
   * failures are logged, counted, back off the next attempt (of the group, or of the source when
   * the failure hits every group), and returned.
   */
  public synchronized CloudWatchLogsPoll pollOnce() {
    problems.pollStarts();
    if (closed) {
      return new CloudWatchLogsPoll(0, List.of());
    }
    long now = clock.millis();
    if (!accountBackoff.mayTry(now)) {
      logger.log(Level.FINE, "CloudWatch Logs: backing off, poll skipped");
      return new CloudWatchLogsPoll(
          0, List.of("skipped: backing off after a failure that hit every group"));
    }
    router.refreshAccountId();
    if (roster.refreshIfDue(now)) {
      schedule.retainOnly(roster.groups());
    }
    int read = 0;
    for (String group : schedule.order(roster.groups(), now)) {
      if (closed || !readGroup(group, now)) {
        break;
      }
      read++;
    }
    return new CloudWatchLogsPoll(read, problems.ofPoll());
  }

  /**
   * Reads one group; returns false when the poll must end (closed, or a failure that hits every
   * group, which the next poll retries from this group on).
   */
  private boolean readGroup(String group, long now) {
    try {
      if (fleetGroups != null) {
        FleetGroups.Admission admission = fleetGroups.admit(group);
        if (admission == FleetGroups.Admission.NOT_HELD) {
          return true; // another replica reads it
        }
        if (admission == FleetGroups.Admission.NEW_LEASE) {
          reader.forget(group); // read on from the shared checkpoint, where the last holder ended
        }
      }
      if (!reader.read(group, now)) {
        // closed mid-read, or (fleet) the lease was lost: what was handed over is checkpointed
        return !closed && fleetGroups != null;
      }
      schedule.served(group);
      accountBackoff.succeeded();
      problems.cleared(group);
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
        problems.report(group, failure, problem, delay);
        return false;
      }
      problems.report(group, failure, problem, delay);
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

  private void dropGroup(String group) {
    roster.drop(group);
    reader.forget(group);
    schedule.forget(group);
    router.forget(group);
    problems.warnOnce(
        group,
        "not_found",
        "CloudWatch Logs group " + group + " does not exist (deleted?); no longer reading it",
        null);
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
    problems.pollsRepeat();
    scheduled =
        executor.scheduleWithFixedDelay(
            this::pollSafely, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The groups read in the current cycle (names and discovered prefixes). */
  public Set<String> logGroups() {
    return roster.groups();
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
        logger.log(Level.FINE, "Closing the CloudWatch Logs client failed", e);
      }
    }
  }

  private void pollSafely() {
    try {
      pollOnce();
    } catch (RuntimeException | LinkageError e) {
      logger.log(Level.WARNING, "CloudWatch Logs poll failed unexpectedly; next poll continues", e);
    }
  }
}
