package io.github.apigatewayotel.examples;

import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder;
import java.util.Map;

/**
 * What a mode adds around the standalone host's plugin: the demo's simulated account and live view
 * ({@code apigateway-otel-demo.jar}). The standalone jar a user runs against AWS knows only this
 * interface, so the demo and its simulated account stay out of it.
 */
public interface StandaloneHostMode extends AutoCloseable {

  /** Properties for the host's SDK and the plugin: the lowest-priority defaults. */
  Map<String, String> properties();

  /** Adds to the SDK autoconfigure builds (exporters of its own, say). */
  void customize(AutoConfiguredOpenTelemetrySdkBuilder builder);

  /** The SDK and the plugin are up. */
  void started();

  /** The plugin stopped and the SDK flushed. */
  void stopped();

  @Override
  void close();
}
