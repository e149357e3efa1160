package io.github.apigatewayotel.logs;

import io.github.apigatewayotel.logs.internal.AwsClientSettings;
import io.github.apigatewayotel.state.internal.AwsProblem;
import io.github.apigatewayotel.logs.internal.execution.ExecutionLogGroups;
import io.github.apigatewayotel.logs.internal.cloudwatch.AwsFailure;
import io.github.apigatewayotel.logs.internal.cloudwatch.CheckpointStore;
import io.github.apigatewayotel.logs.internal.cloudwatch.CloudWatchLogsSourceMetrics;
import io.github.apigatewayotel.logs.internal.cloudwatch.GroupSchedule;
import io.github.apigatewayotel.logs.internal.cloudwatch.LogGroupDiscovery;
import io.github.apigatewayotel.logs.internal.cloudwatch.LogGroupReader;
import io.github.apigatewayotel.logs.internal.cloudwatch.LogGroupRoster;
import io.github.apigatewayotel.logs.internal.cloudwatch.RetryBackoff;
import io.github.apigatewayotel.logs.internal.cloudwatch.SdkAttemptMetrics;
import io.github.apigatewayotel.logs.internal.cloudwatch.SourceProblems;
import io.opentelemetry.api.metrics.MeterProvider;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.annotation.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
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

  private static final Logger logger = Logger.getLogger(CloudWatchLogsSource.class.getName());

  /** The seed's convention: API Gateway access-log groups are named {@code api-gateway...}. */
  public static final String DEFAULT_LOG_GROUP_PREFIX = "api-gateway";

  public static final Duration DEFAULT_LOOKBACK = Duration.ofMinutes(15);
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMinutes(1);
  public static final Duration DEFAULT_DISCOVERY_INTERVAL = Duration.ofMinutes(5);

  /**
   * How far behind the end of a poll the next one starts again. CloudWatch Logs usually ingests
   * API Gateway access logs within seconds, but delays of minutes happen; events ingested later
   * than this with an older timestamp are missed.
   */
  public static final Duration DEFAULT_INGESTION_OVERLAP = Duration.ofMinutes(5);

  private final CloudWatchLogsClient client;
  private final boolean ownsClient;
  private final LogGroupRoster roster;
  private final LogEventRouter router;
  private final LogGroupReader reader;
  private final CloudWatchLogsSourceMetrics metrics;
  private final SourceProblems problems;
  /** Backs off the whole source after failures that hit every group (throttling, network). */
  private final RetryBackoff accountBackoff;
  private final GroupSchedule schedule;
  private final Clock clock;
  private final Duration pollInterval;

  private volatile boolean closed;
  @Nullable private volatile ScheduledFuture<?> scheduled;

  private CloudWatchLogsSource(Builder builder, CloudWatchLogsClient client, boolean ownsClient) {
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
    CheckpointStore store =
        builder.stateDirectory == null
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
            () -> closed,
            router::openDeliveryBatch);
  }

  /** A builder for a source that hands lines to {@code bridge}. */
  public static Builder builder(AccessLogBridge bridge) {
    return new Builder(Objects.requireNonNull(bridge, "bridge"), null);
  }

  /**
   * A builder for a source of API Gateway execution logs: groups named {@code
   * API-Gateway-Execution-Logs_{apiId}/{stage}} (the default prefix), each event handed to {@code
   * bridge} with the API and stage its group names; checkpoints and delivery as for access logs.
   */
  public static Builder executionLogsBuilder(ExecutionLogBridge bridge) {
    return new Builder(null, Objects.requireNonNull(bridge, "bridge"))
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
      return new CloudWatchLogsPoll(0, List.of("skipped: backing off after a failure that hit every group"));
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
      if (!reader.read(group, now)) {
        return false; // closed mid-read: what was handed over is checkpointed
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

  /** Configures a {@link CloudWatchLogsSource}. */
  public static final class Builder {

    private final AccessLogBridge bridge;
    private final ExecutionLogBridge executionLogs;
    private CloudWatchLogsClient client;
    private final AwsClientSettings clientSettings = new AwsClientSettings();
    private final Set<String> logGroupNames = new LinkedHashSet<>();
    private final Set<String> logGroupPrefixes = new LinkedHashSet<>();
    private final List<Supplier<? extends Collection<String>>> logGroupNameSuppliers =
        new ArrayList<>();
    private Function<String, AccessLogFormat> formatForGroup;
    private Function<String, ApiStage> stageForGroup;
    private Duration lookback = DEFAULT_LOOKBACK;
    private Duration ingestionOverlap = DEFAULT_INGESTION_OVERLAP;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private Duration discoveryInterval = DEFAULT_DISCOVERY_INTERVAL;
    private Path stateDirectory;
    private String cloudRegion;
    private String cloudAccountId;
    private Supplier<String> cloudAccountIdSupplier;
    private MeterProvider meterProvider;
    private int pageSize = LogGroupReader.MAX_PAGE_SIZE;
    private int maxSeenEventIds = LogGroupReader.DEFAULT_MAX_SEEN_IDS;
    private Clock clock = Clock.systemUTC();
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

    private Builder(AccessLogBridge bridge, ExecutionLogBridge executionLogs) {
      this.bridge = bridge;
      this.executionLogs = executionLogs;
    }

    /** The client to use; the source does not close it. Overrides region/endpoint/credentials. */
    public Builder setClient(CloudWatchLogsClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /** The AWS region of the log groups; required unless a client is given. */
    public Builder setRegion(String region) {
      clientSettings.setRegion(region);
      return this;
    }

    /** An endpoint override for the client the source builds (tests, VPC endpoints). */
    public Builder setEndpointOverride(URI endpoint) {
      clientSettings.setEndpointOverride(endpoint);
      return this;
    }

    /** Credentials for the client the source builds; default: the SDK's default chain. */
    public Builder setCredentialsProvider(AwsCredentialsProvider credentialsProvider) {
      clientSettings.setCredentialsProvider(credentialsProvider);
      return this;
    }

    /** Adds a log group to read by exact name. */
    public Builder addLogGroupName(String name) {
      logGroupNames.add(requireText(name, "log group name"));
      return this;
    }

    /**
     * Adds a log group name prefix. With neither names nor prefixes, the prefix is {@value
     * #DEFAULT_LOG_GROUP_PREFIX}.
     */
    public Builder addLogGroupNamePrefix(String prefix) {
      logGroupPrefixes.add(requireText(prefix, "log group name prefix"));
      return this;
    }

    /**
     * Adds the groups {@code names} returns, asked again at every discovery (e.g. the groups API
     * Gateway stages write access logs to, found later). It does not replace the default prefix.
     */
    public Builder addLogGroupNameSupplier(Supplier<? extends Collection<String>> names) {
      logGroupNameSuppliers.add(Objects.requireNonNull(names, "log group name supplier"));
      return this;
    }

    public Builder addLogGroupNames(Collection<String> names) {
      names.forEach(this::addLogGroupName);
      return this;
    }

    public Builder addLogGroupNamePrefixes(Collection<String> prefixes) {
      prefixes.forEach(this::addLogGroupNamePrefix);
      return this;
    }

    /**
     * The access-log format of each group (e.g. each stage's own format, read from its {@code
     * accessLogSettings}); a null answer means the bridge's own format. Default: the bridge's.
     */
    public Builder setFormatForGroup(Function<String, AccessLogFormat> formatForGroup) {
      this.formatForGroup = Objects.requireNonNull(formatForGroup, "formatForGroup");
      return this;
    }

    /**
     * The API stage whose access logs each group holds (e.g. from its {@code accessLogSettings});
     * {@code null} means unknown. Records of lines whose format has no {@code $context.apiId} or
     * {@code $context.stage} then still carry {@code aws.apigateway.api.id} and {@code
     * aws.apigateway.stage}.
     */
    public Builder setStageForGroup(Function<String, ApiStage> stageForGroup) {
      this.stageForGroup = Objects.requireNonNull(stageForGroup, "stageForGroup");
      return this;
    }

    /** Where a group without a checkpoint starts, back from now. Default 15 minutes. */
    public Builder setLookback(Duration lookback) {
      this.lookback = nonNegative(lookback, "lookback");
      return this;
    }

    /** How much of the recent past every poll reads again for late events. Default 5 minutes. */
    public Builder setIngestionOverlap(Duration overlap) {
      this.ingestionOverlap = nonNegative(overlap, "ingestionOverlap");
      return this;
    }

    public Builder setPollInterval(Duration pollInterval) {
      this.pollInterval = positive(pollInterval, "pollInterval");
      return this;
    }

    /** How often DescribeLogGroups looks for new groups. Default 5 minutes. */
    public Builder setDiscoveryInterval(Duration discoveryInterval) {
      this.discoveryInterval = positive(discoveryInterval, "discoveryInterval");
      return this;
    }

    /** Where checkpoints are kept across restarts; without one, a restart starts over. */
    public Builder setStateDirectory(Path stateDirectory) {
      this.stateDirectory = Objects.requireNonNull(stateDirectory, "stateDirectory");
      return this;
    }

    /** {@code cloud.region} of the records; default: the client region given here. */
    public Builder setCloudRegion(String cloudRegion) {
      this.cloudRegion = requireText(cloudRegion, "cloudRegion");
      return this;
    }

    /** {@code cloud.account.id} of the records. */
    public Builder setCloudAccountId(String cloudAccountId) {
      this.cloudAccountId = requireText(cloudAccountId, "cloudAccountId");
      return this;
    }

    /**
     * {@code cloud.account.id} of the records, asked at each poll until it answers (null while the
     * account is unknown, e.g. while STS fails; it should back off by itself). Records read
     * before carry none and are counted in {@code apigateway_otel.logs.cloudwatch.account_unknown}.
     */
    public Builder setCloudAccountIdSupplier(Supplier<String> cloudAccountId) {
      this.cloudAccountIdSupplier = Objects.requireNonNull(cloudAccountId, "cloudAccountId");
      return this;
    }

    /** Where the source's own counters go; default none. */
    public Builder setMeterProvider(MeterProvider meterProvider) {
      this.meterProvider = Objects.requireNonNull(meterProvider, "meterProvider");
      return this;
    }

    /** The FilterLogEvents {@code limit}, 1..10,000 (default 10,000). */
    public Builder setPageSize(int pageSize) {
      if (pageSize < 1 || pageSize > LogGroupReader.MAX_PAGE_SIZE) {
        throw new IllegalArgumentException(
            "pageSize must be in 1.." + LogGroupReader.MAX_PAGE_SIZE + ": " + pageSize);
      }
      this.pageSize = pageSize;
      return this;
    }

    /** Bounds the event ids remembered per group (default 50,000). */
    public Builder setMaxSeenEventIds(int maxSeenEventIds) {
      if (maxSeenEventIds < 1) {
        throw new IllegalArgumentException("maxSeenEventIds must be positive: " + maxSeenEventIds);
      }
      this.maxSeenEventIds = maxSeenEventIds;
      return this;
    }

    /** For tests: the clock that says what "now" is. */
    Builder setClock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** For tests: the jitter source, values in [0, 1). */
    Builder setRandom(DoubleSupplier random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    public CloudWatchLogsSource build() {
      if (client != null) {
        return new CloudWatchLogsSource(this, client, false);
      }
      if (meterProvider != null) {
        clientSettings.setMetricPublisher(new SdkAttemptMetrics(meterProvider));
      }
      return new CloudWatchLogsSource(
          this, clientSettings.build(CloudWatchLogsClient.builder(), "client is"), true);
    }

    private static String requireText(String value, String what) {
      Objects.requireNonNull(value, what);
      if (value.isBlank()) {
        throw new IllegalArgumentException(what + " must not be blank");
      }
      return value;
    }

    private static Duration nonNegative(Duration value, String what) {
      Objects.requireNonNull(value, what);
      if (value.isNegative()) {
        throw new IllegalArgumentException(what + " must not be negative: " + value);
      }
      return value;
    }

    private static Duration positive(Duration value, String what) {
      Objects.requireNonNull(value, what);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(what + " must be positive: " + value);
      }
      return value;
    }
  }
}
