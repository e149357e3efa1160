package io.github.apigatewayotel.spi.internal;

import io.github.apigatewayotel.logs.AccessLogBridge;
import io.github.apigatewayotel.logs.ExecutionLogBridge;
import io.github.apigatewayotel.logs.LogDeliveryTracker;
import io.github.apigatewayotel.logs.RequestMetrics;
import io.github.apigatewayotel.logs.RequestTraceContexts;
import io.opentelemetry.api.OpenTelemetry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Turns the configuration into the list of sources the runtime builds on its own threads. */
final class SourceFactories {

  private SourceFactories() {}

  /**
   * {@code deliveryTracker}: null when no exporter was wrapped (hand-over counts as delivery);
   * {@code requestMetrics}: null when off.
   */
  static List<Supplier<PluginSource>> logSources(
      ApiGatewayConfig config,
      OpenTelemetry sdk,
      LogDeliveryTracker deliveryTracker,
      RequestMetrics requestMetrics,
      AccountIdLookup accountId) {
    List<Supplier<PluginSource>> factories = new ArrayList<>();
    if (!config.logsEnabled()) {
      return factories;
    }
    AccessLogBridge.Builder bridge =
        AccessLogBridge.builder(sdk.getLogsBridge()).setMeterProvider(sdk.getMeterProvider());
    config.accessLogBridge().applyTo(bridge);
    if (config.regions().size() == 1) {
      bridge.setCloudRegion(config.regions().get(0));
    }
    config.accountId().ifPresent(bridge::setCloudAccountId);
    if (deliveryTracker != null) {
      bridge.setDeliveryTracker(deliveryTracker);
    }
    if (requestMetrics != null) {
      bridge.setRequestMetrics(requestMetrics);
    }
    ExecutionLogBridge executionLogs = null;
    if (config.logSignals().executionLogs()) {
      // The access log names each request's trace; its execution-log records take it from there.
      RequestTraceContexts traces = RequestTraceContexts.create();
      bridge.setRequestTraceContexts(traces);
      executionLogs = executionLogBridge(config, sdk, deliveryTracker, traces);
    }
    AccessLogBridge accessLogBridge = bridge.build();
    for (AccessLogLocation location : config.logSources()) {
      if (location instanceof AccessLogLocation.CloudWatchLogs) {
        factories.addAll(
            CloudWatchLogSources.perRegion(config, accessLogBridge, executionLogs, sdk, accountId));
      } else if (location instanceof AccessLogLocation.File file) {
        factories.add(
            () -> {
              // Followed, a file that does not exist yet is waited for; read once, it is a mistake.
              if (config.mode() == ApiGatewayConfig.Mode.ONCE
                  && !java.nio.file.Files.exists(file.path())) {
                throw new IllegalStateException(
                    "file:" + file.path() + " does not exist; nothing to read once");
              }
              if (config.mode() == ApiGatewayConfig.Mode.ONCE
                  && !java.nio.file.Files.isReadable(file.path())) {
                throw new IllegalStateException(
                    "file:" + file.path() + " is not readable by this process (permissions)");
              }
              return new FileLogSource(
                  file.path(),
                  accessLogBridge,
                  config.stateDir(),
                  config.cloudWatchLogs().pollInterval());
            });
      }
    }
    return factories;
  }

  private static ExecutionLogBridge executionLogBridge(
      ApiGatewayConfig config,
      OpenTelemetry sdk,
      LogDeliveryTracker deliveryTracker,
      RequestTraceContexts traces) {
    ExecutionLogBridge.Builder builder =
        ExecutionLogBridge.builder(sdk.getLogsBridge())
            .setMeterProvider(sdk.getMeterProvider())
            .setRequestTraceContexts(traces);
    if (config.regions().size() == 1) {
      builder.setCloudRegion(config.regions().get(0));
    }
    config.accountId().ifPresent(builder::setCloudAccountId);
    if (deliveryTracker != null) {
      builder.setDeliveryTracker(deliveryTracker);
    }
    return builder.build();
  }
}
