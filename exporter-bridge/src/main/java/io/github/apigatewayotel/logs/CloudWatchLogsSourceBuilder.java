package io.github.apigatewayotel.logs;

import io.github.apigatewayotel.logs.internal.AwsClientSettings;
import io.github.apigatewayotel.logs.internal.cloudwatch.LogGroupReader;
import io.github.apigatewayotel.logs.internal.cloudwatch.SdkAttemptMetrics;
import io.github.apigatewayotel.state.fleet.Fleet;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.annotation.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * Configures a {@link CloudWatchLogsSource}: every setting has a default, a documented constant of
 * {@link CloudWatchLogsSource}; a setter refuses a bad value at once, naming the setting.
 */
public final class CloudWatchLogsSourceBuilder {

  final AccessLogBridge bridge;
  final ExecutionLogBridge executionLogs;
  CloudWatchLogsClient client;
  final AwsClientSettings clientSettings = new AwsClientSettings();
  final Set<String> logGroupNames = new LinkedHashSet<>();
  final Set<String> logGroupPrefixes = new LinkedHashSet<>();
  final List<Supplier<? extends Collection<String>>> logGroupNameSuppliers = new ArrayList<>();
  Function<String, AccessLogFormat> formatForGroup;
  Function<String, ApiStage> stageForGroup;
  Duration lookback = CloudWatchLogsSource.DEFAULT_LOOKBACK;
  Duration ingestionOverlap = CloudWatchLogsSource.DEFAULT_INGESTION_OVERLAP;
  Duration pollInterval = CloudWatchLogsSource.DEFAULT_POLL_INTERVAL;
  Duration discoveryInterval = CloudWatchLogsSource.DEFAULT_DISCOVERY_INTERVAL;
  Path stateDirectory;
  @Nullable Fleet fleet;
  String cloudRegion;
  String cloudAccountId;
  Supplier<String> cloudAccountIdSupplier;
  MeterProvider meterProvider;
  int pageSize = LogGroupReader.MAX_PAGE_SIZE;
  int maxSeenEventIds = LogGroupReader.DEFAULT_MAX_SEEN_IDS;
  Clock clock = Clock.systemUTC();
  DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

  CloudWatchLogsSourceBuilder(AccessLogBridge bridge, ExecutionLogBridge executionLogs) {
    this.bridge = bridge;
    this.executionLogs = executionLogs;
  }

  /** The client to use; the source does not close it. Overrides region/endpoint/credentials. */
  public CloudWatchLogsSourceBuilder setClient(CloudWatchLogsClient client) {
    this.client = Objects.requireNonNull(client, "client");
    return this;
  }

  /** The AWS region of the log groups; required unless a client is given. */
  public CloudWatchLogsSourceBuilder setRegion(String region) {
    clientSettings.setRegion(region);
    return this;
  }

  /** An endpoint override for the client the source builds (tests, VPC endpoints). */
  public CloudWatchLogsSourceBuilder setEndpointOverride(URI endpoint) {
    clientSettings.setEndpointOverride(endpoint);
    return this;
  }

  /** Credentials for the client the source builds; default: the SDK's default chain. */
  public CloudWatchLogsSourceBuilder setCredentialsProvider(
      AwsCredentialsProvider credentialsProvider) {
    clientSettings.setCredentialsProvider(credentialsProvider);
    return this;
  }

  /** Adds a log group to read by exact name. */
  public CloudWatchLogsSourceBuilder addLogGroupName(String name) {
    logGroupNames.add(requireText(name, "log group name"));
    return this;
  }

  /**
   * Adds a log group name prefix. With neither names nor prefixes, the prefix is {@value
   * CloudWatchLogsSource#DEFAULT_LOG_GROUP_PREFIX}.
   */
  public CloudWatchLogsSourceBuilder addLogGroupNamePrefix(String prefix) {
    logGroupPrefixes.add(requireText(prefix, "log group name prefix"));
    return this;
  }

  /**
   * Adds the groups {@code names} returns, asked again at every discovery (e.g. the groups API
   * Gateway stages write access logs to, found later). It does not replace the default prefix.
   */
  public CloudWatchLogsSourceBuilder addLogGroupNameSupplier(
      Supplier<? extends Collection<String>> names) {
    logGroupNameSuppliers.add(Objects.requireNonNull(names, "log group name supplier"));
    return this;
  }

  public CloudWatchLogsSourceBuilder addLogGroupNames(Collection<String> names) {
    names.forEach(this::addLogGroupName);
    return this;
  }

  public CloudWatchLogsSourceBuilder addLogGroupNamePrefixes(Collection<String> prefixes) {
    prefixes.forEach(this::addLogGroupNamePrefix);
    return this;
  }

  /**
   * The access-log format of each group (e.g. each stage's own format, read from its {@code
   * accessLogSettings}); a null answer means the bridge's own format. Default: the bridge's.
   */
  public CloudWatchLogsSourceBuilder setFormatForGroup(
      Function<String, AccessLogFormat> formatForGroup) {
    this.formatForGroup = Objects.requireNonNull(formatForGroup, "formatForGroup");
    return this;
  }

  /**
   * The API stage whose access logs each group holds (e.g. from its {@code accessLogSettings});
   * {@code null} means unknown. Records of lines whose format has no {@code $context.apiId} or
   * {@code $context.stage} then still carry {@code aws.apigateway.api.id} and {@code
   * aws.apigateway.stage}.
   */
  public CloudWatchLogsSourceBuilder setStageForGroup(Function<String, ApiStage> stageForGroup) {
    this.stageForGroup = Objects.requireNonNull(stageForGroup, "stageForGroup");
    return this;
  }

  /** Where a group without a checkpoint starts, back from now. Default 15 minutes. */
  public CloudWatchLogsSourceBuilder setLookback(Duration lookback) {
    this.lookback = nonNegative(lookback, "lookback");
    return this;
  }

  /** How much of the recent past every poll reads again for late events. Default 5 minutes. */
  public CloudWatchLogsSourceBuilder setIngestionOverlap(Duration overlap) {
    this.ingestionOverlap = nonNegative(overlap, "ingestionOverlap");
    return this;
  }

  public CloudWatchLogsSourceBuilder setPollInterval(Duration pollInterval) {
    this.pollInterval = positive(pollInterval, "pollInterval");
    return this;
  }

  /** How often DescribeLogGroups looks for new groups. Default 5 minutes. */
  public CloudWatchLogsSourceBuilder setDiscoveryInterval(Duration discoveryInterval) {
    this.discoveryInterval = positive(discoveryInterval, "discoveryInterval");
    return this;
  }

  /**
   * Fleet mode: the groups are spread over the replicas sharing {@code fleet}'s DynamoDB table,
   * each read by the one holding its lease, with checkpoints in that table (instead of the state
   * directory).
   */
  public CloudWatchLogsSourceBuilder setFleet(Fleet fleet) {
    this.fleet = Objects.requireNonNull(fleet, "fleet");
    return this;
  }

  /** Where checkpoints are kept across restarts; without one, a restart starts over. */
  public CloudWatchLogsSourceBuilder setStateDirectory(Path stateDirectory) {
    this.stateDirectory = Objects.requireNonNull(stateDirectory, "stateDirectory");
    return this;
  }

  /** {@code cloud.region} of the records; default: the client region given here. */
  public CloudWatchLogsSourceBuilder setCloudRegion(String cloudRegion) {
    this.cloudRegion = requireText(cloudRegion, "cloudRegion");
    return this;
  }

  /** {@code cloud.account.id} of the records. */
  public CloudWatchLogsSourceBuilder setCloudAccountId(String cloudAccountId) {
    this.cloudAccountId = requireText(cloudAccountId, "cloudAccountId");
    return this;
  }

  /**
   * {@code cloud.account.id} of the records, asked at each poll until it answers (null while the
   * account is unknown, e.g. while STS fails; it should back off by itself). Records read before
   * carry none and are counted in {@code apigateway_otel.logs.cloudwatch.account_unknown}.
   */
  public CloudWatchLogsSourceBuilder setCloudAccountIdSupplier(Supplier<String> cloudAccountId) {
    this.cloudAccountIdSupplier = Objects.requireNonNull(cloudAccountId, "cloudAccountId");
    return this;
  }

  /** Where the source's own counters go; default none. */
  public CloudWatchLogsSourceBuilder setMeterProvider(MeterProvider meterProvider) {
    this.meterProvider = Objects.requireNonNull(meterProvider, "meterProvider");
    return this;
  }

  /** The FilterLogEvents {@code limit}, 1..10,000 (default 10,000). */
  public CloudWatchLogsSourceBuilder setPageSize(int pageSize) {
    if (pageSize < 1 || pageSize > LogGroupReader.MAX_PAGE_SIZE) {
      throw new IllegalArgumentException(
          "pageSize must be in 1.." + LogGroupReader.MAX_PAGE_SIZE + ": " + pageSize);
    }
    this.pageSize = pageSize;
    return this;
  }

  /** Bounds the event ids remembered per group (default 50,000). */
  public CloudWatchLogsSourceBuilder setMaxSeenEventIds(int maxSeenEventIds) {
    if (maxSeenEventIds < 1) {
      throw new IllegalArgumentException("maxSeenEventIds must be positive: " + maxSeenEventIds);
    }
    this.maxSeenEventIds = maxSeenEventIds;
    return this;
  }

  /** For tests: the clock that says what "now" is. */
  CloudWatchLogsSourceBuilder setClock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** For tests: the jitter source, values in [0, 1). */
  CloudWatchLogsSourceBuilder setRandom(DoubleSupplier random) {
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
