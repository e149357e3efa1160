package io.github.apigatewayotel.spi.internal;

import io.github.apigatewayotel.logs.AccessLogBridge;
import io.github.apigatewayotel.logs.CloudWatchLogsSource;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/** Source {@code cloudwatch}: one {@link CloudWatchLogsSource} per region. */
final class CloudWatchLogSources implements PluginSource {

  /** Checkpoints of CloudWatch Logs groups live here, below the state directory. */
  static final String STATE_SUBDIRECTORY = "cloudwatch-logs";

  private final List<CloudWatchLogsSource> sources;

  private CloudWatchLogSources(List<CloudWatchLogsSource> sources) {
    this.sources = sources;
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
    for (String region : AwsAccess.regions(config)) {
      CloudWatchLogsSource.Builder builder =
          CloudWatchLogsSource.builder(bridge)
              .setRegion(region)
              .setCredentialsProvider(AwsAccess.credentials(config, region))
              .addLogGroupNames(config.logGroups())
              .addLogGroupNamePrefixes(config.logGroupPrefixes())
              .setLookback(config.logsLookback())
              .setPollInterval(config.logsInterval())
              .setIngestionOverlap(config.logsOverlap())
              .setDiscoveryInterval(config.discoveryInterval())
              .setCloudRegion(region)
              .setMeterProvider(sdk.getMeterProvider());
      config.awsEndpoint().ifPresent(builder::setEndpointOverride);
      config.accountId().ifPresent(builder::setCloudAccountId);
      config.stateDir().ifPresent(dir -> builder.setStateDirectory(dir.resolve(STATE_SUBDIRECTORY)));
      sources.add(builder.build());
    }
    return new CloudWatchLogSources(List.copyOf(sources));
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
    sources.forEach(source -> source.start(executor));
  }

  @Override
  public void close() {
    sources.forEach(CloudWatchLogsSource::close);
  }
}
