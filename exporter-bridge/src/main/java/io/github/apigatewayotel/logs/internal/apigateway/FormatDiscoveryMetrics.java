package io.github.apigatewayotel.logs.internal.apigateway;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.MeterProvider;

/**
 * The counters of access-log format discovery, {@code apigateway_otel.logs.format_discovery.*}.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class FormatDiscoveryMetrics {

  public static final String SCOPE = "io.github.apigatewayotel.logs.apigateway";

  /** {@code error.type} of a stage whose format does not compile. */
  public static final String INVALID_FORMAT = "invalid_format";

  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private final LongCounter refreshes;
  private final LongCounter errors;

  public FormatDiscoveryMetrics(MeterProvider meterProvider) {
    refreshes =
        meterProvider
            .get(SCOPE)
            .counterBuilder("apigateway_otel.logs.format_discovery.refreshes")
            .setUnit("{refresh}")
            .setDescription("Completed reads of every stage's access-log settings.")
            .build();
    errors =
        meterProvider
            .get(SCOPE)
            .counterBuilder("apigateway_otel.logs.format_discovery.errors")
            .setUnit("{error}")
            .setDescription(
                "Failed reads of stages' access-log settings (after the SDK's retries) and"
                    + " stages whose format does not compile.")
            .build();
  }

  public void refreshed() {
    refreshes.add(1);
  }

  public void error(String errorType) {
    errors.add(1, Attributes.of(ERROR_TYPE, errorType));
  }
}
