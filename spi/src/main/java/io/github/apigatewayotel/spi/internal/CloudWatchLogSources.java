package io.github.apigatewayotel.spi.internal;

import io.github.apigatewayotel.logs.AccessLogBridge;
import io.github.apigatewayotel.logs.CloudWatchLogsSource;
import io.github.apigatewayotel.logs.ExecutionLogBridge;
import io.github.apigatewayotel.logs.StageAccessLogFormats;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Source {@code cloudwatch}: one {@link CloudWatchLogsSource} per region; with {@code
 * logs.format=auto}, each region's stages' formats and log groups read from API Gateway too.
 */
final class CloudWatchLogSources implements PluginSource {

  /** Checkpoints of CloudWatch Logs groups live here, below the state directory. */
  static final String STATE_SUBDIRECTORY = "cloudwatch-logs";

  /** Checkpoints of execution-log groups, kept apart from the access logs'. */
  static final String EXECUTION_STATE_SUBDIRECTORY = "cloudwatch-execution-logs";

  private static final Logger LOGGER = Logger.getLogger(CloudWatchLogSources.class.getName());

  private final List<CloudWatchLogsSource> sources;
  /** Per region, like {@link #sources}; empty when execution logs are off. */
  private final List<CloudWatchLogsSource> executionSources;
  private final List<StageFormatRefresher> stageFormats;
  private final long intervalMillis;
  private volatile ScheduledFuture<?> chainedPolls;

  private CloudWatchLogSources(
      List<CloudWatchLogsSource> sources,
      List<CloudWatchLogsSource> executionSources,
      List<StageFormatRefresher> stageFormats,
      long intervalMillis) {
    this.sources = sources;
    this.executionSources = executionSources;
    this.stageFormats = stageFormats;
    this.intervalMillis = intervalMillis;
  }

  /**
   * One factory for all regions: the regions may come from the AWS SDK's default chain, which is
   * looked up only when the runtime builds the source on its own thread.
   */
  static List<Supplier<PluginSource>> perRegion(
      ApiGatewayConfig config,
      AccessLogBridge bridge,
      ExecutionLogBridge executionLogs,
      OpenTelemetrySdk sdk) {
    return List.of(() -> build(config, bridge, executionLogs, sdk));
  }

  private static PluginSource build(
      ApiGatewayConfig config,
      AccessLogBridge bridge,
      ExecutionLogBridge executionLogs,
      OpenTelemetrySdk sdk) {
    List<CloudWatchLogsSource> sources = new ArrayList<>();
    List<CloudWatchLogsSource> executionSources = new ArrayList<>();
    List<StageFormatRefresher> stageFormats = new ArrayList<>();
    for (String region : AwsAccess.regions(config)) {
      AwsCredentialsProvider credentials = AwsAccess.credentials(config, region);
      CloudWatchLogsSource.Builder builder =
          CloudWatchLogsSource.builder(bridge)
              .setRegion(region)
              .setCredentialsProvider(credentials)
              .addLogGroupNames(config.logGroups())
              .addLogGroupNamePrefixes(config.logGroupPrefixes())
              .setLookback(config.logsLookback())
              .setPollInterval(config.logsInterval())
              .setIngestionOverlap(config.logsOverlap())
              .setDiscoveryInterval(config.discoveryInterval())
              .setCloudRegion(region)
              .setMeterProvider(sdk.getMeterProvider());
      config.awsEndpoint().ifPresent(builder::setEndpointOverride);
      AwsAccess.accountId(config, region, credentials).ifPresent(builder::setCloudAccountId);
      config.stateDir().ifPresent(dir -> builder.setStateDirectory(dir.resolve(STATE_SUBDIRECTORY)));
      if (config.logsFormatAuto()) {
        StageFormatRefresher refresher = stageFormats(config, region, credentials, sdk);
        stageFormats.add(refresher);
        StageAccessLogFormats formats = refresher.formats();
        // Groups of stages found later are picked up at the source's next group discovery;
        // a group without a known stage format (null) is parsed with the fallback format.
        builder
            .addLogGroupNameSupplier(formats::logGroupNames)
            .setFormatForGroup(formats::formatOf)
            .setStageForGroup(formats::stageOf);
      }
      sources.add(builder.build());
      if (executionLogs != null) {
        executionSources.add(executionSource(config, executionLogs, region, credentials, sdk));
      }
    }
    return new CloudWatchLogSources(
        List.copyOf(sources),
        List.copyOf(executionSources),
        List.copyOf(stageFormats),
        config.logsInterval().toMillis());
  }

  /** The region's execution-log groups, by prefix ({@code API-Gateway-Execution-Logs_}). */
  private static CloudWatchLogsSource executionSource(
      ApiGatewayConfig config,
      ExecutionLogBridge executionLogs,
      String region,
      AwsCredentialsProvider credentials,
      OpenTelemetrySdk sdk) {
    CloudWatchLogsSource.Builder builder =
        CloudWatchLogsSource.executionLogsBuilder(executionLogs)
            .setRegion(region)
            .setCredentialsProvider(credentials)
            .addLogGroupNamePrefixes(config.logSignals().executionLogGroupPrefixes())
            .setLookback(config.logsLookback())
            .setPollInterval(config.logsInterval())
            .setIngestionOverlap(config.logsOverlap())
            .setDiscoveryInterval(config.discoveryInterval())
            .setCloudRegion(region)
            .setMeterProvider(sdk.getMeterProvider());
    config.awsEndpoint().ifPresent(builder::setEndpointOverride);
    AwsAccess.accountId(config, region, credentials).ifPresent(builder::setCloudAccountId);
    config
        .stateDir()
        .ifPresent(dir -> builder.setStateDirectory(dir.resolve(EXECUTION_STATE_SUBDIRECTORY)));
    return builder.build();
  }

  private static StageFormatRefresher stageFormats(
      ApiGatewayConfig config,
      String region,
      AwsCredentialsProvider credentials,
      OpenTelemetrySdk sdk) {
    StageAccessLogFormats.Builder formats =
        StageAccessLogFormats.builder()
            .setRegion(region)
            .setCredentialsProvider(credentials)
            .setMeterProvider(sdk.getMeterProvider());
    config.awsEndpoint().ifPresent(formats::setEndpointOverride);
    return new StageFormatRefresher(formats.build(), config.discoveryInterval());
  }

  @Override
  public String name() {
    List<String> groups = new ArrayList<>();
    sources.forEach(source -> groups.addAll(source.logGroups()));
    executionSources.forEach(source -> groups.addAll(source.logGroups()));
    return "cloudwatch logs " + groups;
  }

  @Override
  public void runOnce() {
    pollAll();
  }

  /**
   * Access logs first, then execution logs, region by region: a request's execution-log records
   * then find the trace its access-log line named when both were written by the time of the poll.
   */
  private void pollAll() {
    for (int i = 0; i < sources.size(); i++) {
      sources.get(i).pollOnce();
      if (!executionSources.isEmpty()) {
        executionSources.get(i).pollOnce();
      }
    }
  }

  /** A throw would cancel the schedule for good: the next poll goes on instead. */
  private void pollAllSafely() {
    try {
      pollAll();
    } catch (RuntimeException | LinkageError e) {
      LOGGER.log(Level.WARNING, "CloudWatch Logs poll failed unexpectedly; next poll continues", e);
    }
  }

  @Override
  public void start(ScheduledExecutorService executor) {
    stageFormats.forEach(refresher -> refresher.start(executor));
    if (executionSources.isEmpty()) {
      sources.forEach(source -> source.start(executor));
      return;
    }
    chainedPolls =
        executor.scheduleWithFixedDelay(
            this::pollAllSafely, 0, intervalMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    ScheduledFuture<?> task = chainedPolls;
    if (task != null) {
      task.cancel(false);
    }
    sources.forEach(CloudWatchLogsSource::close);
    executionSources.forEach(CloudWatchLogsSource::close);
    stageFormats.forEach(StageFormatRefresher::close);
  }
}
