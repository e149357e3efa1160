package io.github.apigatewayotel.logs;

import io.github.apigatewayotel.logs.internal.AwsClientSettings;
import io.github.apigatewayotel.logs.internal.AwsProblem;
import io.github.apigatewayotel.logs.internal.DeliveryBatch;
import io.github.apigatewayotel.logs.internal.execution.ExecutionLogGroups;
import io.github.apigatewayotel.logs.internal.cloudwatch.AwsFailure;
import io.github.apigatewayotel.logs.internal.cloudwatch.CheckpointStore;
import io.github.apigatewayotel.logs.internal.cloudwatch.FleetGroups;
import io.github.apigatewayotel.logs.internal.cloudwatch.CloudWatchLogsSourceMetrics;
import io.github.apigatewayotel.logs.internal.cloudwatch.GroupSchedule;
import io.github.apigatewayotel.logs.internal.cloudwatch.LogGroupDiscovery;
import io.github.apigatewayotel.logs.internal.cloudwatch.LogGroupReader;
import io.github.apigatewayotel.logs.internal.cloudwatch.RetryBackoff;
import io.github.apigatewayotel.logs.internal.cloudwatch.SdkAttemptMetrics;
import io.opentelemetry.api.metrics.MeterProvider;
import java.net.URI;
import io.github.apigatewayotel.state.fleet.Fleet;
import java.nio.file.Path;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
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

  private static final Logger LOGGER = Logger.getLogger(CloudWatchLogsSource.class.getName());

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
  /** In fleet mode (issue 18), which groups this replica reads now; else null. */
  private final FleetGroups fleetGroups;
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

  private CloudWatchLogsSource(Builder builder, CloudWatchLogsClient client, boolean ownsClient) {
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
    this.fleetGroups = builder.fleet == null ? null
        : new FleetGroups(builder.fleet, cloudRegion, () -> cloudAccountId,
            builder.cloudAccountIdSupplier != null, () -> groups);
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
            this::emit,
            metrics,
            builder.lookback,
            builder.ingestionOverlap,
            builder.pageSize,
            builder.maxSeenEventIds,
            () -> closed || (fleetGroups != null && fleetGroups.lostCurrent()),
            this::openDeliveryBatch);
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
    private Fleet fleet;
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
    /**
     * Fleet mode (issue 18): the groups are spread over the replicas sharing {@code fleet}'s
     * DynamoDB table, each read by the one holding its lease, with checkpoints in that table
     * (instead of the state directory).
     */
    public Builder setFleet(Fleet fleet) {
      this.fleet = Objects.requireNonNull(fleet, "fleet");
      return this;
    }

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
