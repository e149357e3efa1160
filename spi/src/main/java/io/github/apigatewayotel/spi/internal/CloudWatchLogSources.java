package io.github.apigatewayotel.spi.internal;

import io.github.apigatewayotel.logs.AccessLogBridge;
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

  private final List<CloudWatchLogsSource> sources;
  private final List<StageFormatRefresher> stageFormats;

  private CloudWatchLogSources(
      List<CloudWatchLogsSource> sources, List<StageFormatRefresher> stageFormats) {
    this.sources = sources;
    this.stageFormats = stageFormats;
  }

  /**
   * One factory for all regions: the regions may come from the AWS SDK's default chain, which is
   * looked up only when the runtime builds the source on its own thread.
   */
  static List<Supplier<PluginSource>> perRegion(
      ApiGatewayConfig config,
      AccessLogBridge bridge,
      OpenTelemetrySdk sdk,
      AccountIdLookup accountId) {
    return List.of(() -> build(config, bridge, sdk, accountId));
  }

  private static PluginSource build(
      ApiGatewayConfig config,
      AccessLogBridge bridge,
      OpenTelemetrySdk sdk,
      AccountIdLookup accountId) {
    List<CloudWatchLogsSource> sources = new ArrayList<>();
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
      if (config.accountId().isPresent()) {
        builder.setCloudAccountId(config.accountId().get());
      } else {
        // Asked now, with the SDK's retries, so the first poll's records carry it unless STS
        // fails; then at each poll, with a backoff, until STS answers.
        accountId.refresh();
        builder.setCloudAccountIdSupplier(accountId::refresh);
      }
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
    return new CloudWatchLogSources(List.copyOf(sources), List.copyOf(stageFormats));
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
    return "cloudwatch logs " + groups;
  }

  @Override
  public void runOnce() {
    sources.forEach(CloudWatchLogsSource::pollOnce);
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
