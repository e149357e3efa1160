package io.github.apigatewayotel.spi.internal;

import java.util.Set;

/**
 * The {@code otel.apigateway.firehose.*} keys the Firehose endpoint reads (the {@code push}
 * module's {@code FirehoseEndpointConfig}, run by the standalone host): the plugin does not read
 * them, but they are not typos, so {@link UnknownPropertyKeys} must not call them unknown. The
 * standalone host's tests check the two lists agree.
 */
public final class PushPropertyKeys {

  public static final Set<String> ALL =
      Set.of(
          "otel.apigateway.firehose.listen",
          "otel.apigateway.firehose.access.key",
          "otel.apigateway.firehose.metrics.enabled",
          "otel.apigateway.firehose.logs.enabled",
          "otel.apigateway.firehose.discovery",
          "otel.apigateway.firehose.max.body.bytes",
          "otel.apigateway.firehose.export.timeout",
          "otel.apigateway.firehose.request.timeout",
          "otel.apigateway.firehose.threads",
          "otel.apigateway.firehose.recent.request.ids",
          "otel.apigateway.firehose.tls.keystore",
          "otel.apigateway.firehose.tls.keystore.password",
          "otel.apigateway.firehose.tls.keystore.type");

  private PushPropertyKeys() {}
}
