package io.github.apigatewayotel.spi.internal;

import io.github.apigatewayotel.logs.AccessLogBridge;
import io.github.apigatewayotel.logs.CloudWatchLogsPoll;
import io.github.apigatewayotel.logs.CloudWatchLogsSource;
import io.github.apigatewayotel.logs.StageAccessLogFormats;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Source {@code cloudwatch}: one {@link CloudWatchLogsSource} per region; with {@code
 * logs.format=auto}, each region's stages' formats and log groups read from API Gateway too.
 */
final class CloudWatchLogSources implements PluginSource {

  /** Checkpoints of CloudWatch Logs groups live here, below the state directory. */
  static final String STATE_SUBDIRECTORY = "cloudwatch-logs";

  private final String name;
  private final List<CloudWatchLogsSource> sources;
  private final List<StageFormatRefresher> stageFormats;

  private CloudWatchLogSources(
      String name, List<CloudWatchLogsSource> sources, List<StageFormatRefresher> stageFormats) {
    this.name = name;
    this.sources = sources;
    this.stageFormats = stageFormats;
  }

  /**
   * One factory for all regions: the regions may come from the AWS SDK's default chain, which is
   * looked up only when the runtime builds the source on its own thread.
   */
  static List<Supplier<PluginSource>> perRegion(
      ApiGatewayConfig config, AccessLogBridge bridge, OpenTelemetrySdk sdk) {
    return List.of(() -> build(config, bridge, sdk));
  }

  private static PluginSource build(
      ApiGatewayConfig config, AccessLogBridge bridge, OpenTelemetrySdk sdk) {
    List<CloudWatchLogsSource> sources = new ArrayList<>();
    List<StageFormatRefresher> stageFormats = new ArrayList<>();
    List<String> regions = AwsAccess.regions(config);
    for (String region : regions) {
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
    }
    return new CloudWatchLogSources(
        describe(config, regions), List.copyOf(sources), List.copyOf(stageFormats));
  }

  /**
   * What is read, known before any poll: the groups themselves are discovered later (and logged
   * when found), so naming them here would print an empty list.
   */
  private static String describe(ApiGatewayConfig config, List<String> regions) {
    List<String> what = new ArrayList<>();
    if (!config.logGroups().isEmpty()) {
      what.add("groups " + config.logGroups());
    }
    if (!config.logGroupPrefixes().isEmpty()) {
      what.add("groups starting with " + config.logGroupPrefixes());
    }
    if (config.logsFormatAuto()) {
      what.add("the groups stages log to (" + ApiGatewayConfig.LOGS_FORMAT + "=auto)");
    }
    return "cloudwatch logs in "
        + String.join(", ", regions)
        + " (regions from "
        + AwsAccess.regionsOrigin(config)
        + "): "
        + String.join(", ", what);
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
    return name;
  }

  @Override
  public List<String> runOnce() {
    List<String> problems = new ArrayList<>();
    stageFormats.forEach(refresher -> refresher.lastProblem().ifPresent(problems::add));
    for (CloudWatchLogsSource source : sources) {
      CloudWatchLogsPoll poll = source.pollOnce();
      problems.addAll(poll.problems());
    }
    return problems;
  }

  @Override
  public void start(ScheduledExecutorService executor) {
    stageFormats.forEach(refresher -> refresher.start(executor));
    sources.forEach(source -> source.start(executor));
  }

  @Override
  public void close() {
    sources.forEach(CloudWatchLogsSource::close);
    stageFormats.forEach(StageFormatRefresher::close);
  }
}
