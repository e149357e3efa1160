package io.github.apigatewayotel.spi.internal;

import io.github.apigatewayotel.logs.AccessLogBridge;
import io.github.apigatewayotel.logs.LogDeliveryTracker;
import io.opentelemetry.api.OpenTelemetry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Turns the configuration into the list of sources the runtime builds on its own threads. */
final class SourceFactories {

  private SourceFactories() {}

  /** {@code deliveryTracker}: null when no exporter was wrapped (hand-over counts as delivery). */
  static List<Supplier<PluginSource>> logSources(
      ApiGatewayConfig config,
      OpenTelemetry sdk,
      LogDeliveryTracker deliveryTracker,
      AccountIdLookup accountId) {
    List<Supplier<PluginSource>> factories = new ArrayList<>();
    if (!config.logsEnabled()) {
      return factories;
    }
    AccessLogBridge.Builder bridge =
        AccessLogBridge.builder(sdk.getLogsBridge())
            .setFormat(config.logsFormat())
            .setMeterProvider(sdk.getMeterProvider())
            .setClientAddressPolicy(config.clientAddressPolicy());
    if (config.regions().size() == 1) {
      bridge.setCloudRegion(config.regions().get(0));
    }
    config.accountId().ifPresent(bridge::setCloudAccountId);
    if (deliveryTracker != null) {
      bridge.setDeliveryTracker(deliveryTracker);
    }
    AccessLogBridge accessLogBridge = bridge.build();
    for (ApiGatewayConfig.LogSource source : config.logSources()) {
      if (source.isCloudWatch()) {
        factories.addAll(CloudWatchLogSources.perRegion(config, accessLogBridge, sdk, accountId));
      } else {
        factories.add(
            () -> {
              // Followed, a file that does not exist yet is waited for; read once, it is a mistake.
              if (config.mode() == ApiGatewayConfig.Mode.ONCE
                  && !java.nio.file.Files.exists(source.file())) {
                throw new IllegalStateException(
                    "file:" + source.file() + " does not exist; nothing to read once");
              }
              if (config.mode() == ApiGatewayConfig.Mode.ONCE
                  && !java.nio.file.Files.isReadable(source.file())) {
                throw new IllegalStateException(
                    "file:" + source.file() + " is not readable by this process (permissions)");
              }
              return new FileLogSource(
                  source.file(), accessLogBridge, config.stateDir(), config.logsInterval());
            });
      }
    }
    return factories;
  }
}
