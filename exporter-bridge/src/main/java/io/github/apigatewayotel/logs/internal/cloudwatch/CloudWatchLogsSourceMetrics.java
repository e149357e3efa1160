package io.github.apigatewayotel.logs.internal.cloudwatch;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.metrics.ObservableLongGauge;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * The CloudWatch Logs source's own counters, {@code apigateway_otel.logs.cloudwatch.*}.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class CloudWatchLogsSourceMetrics implements AutoCloseable {

  public static final String SCOPE = "io.github.apigatewayotel.logs.cloudwatch";

  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("rpc.method");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  /** The semantic-convention key the records carry their group under, too. */
  static final AttributeKey<List<String>> LOG_GROUP =
      AttributeKey.stringArrayKey("aws.log.group.names");

  private final LongCounter events;
  private final LongCounter duplicates;
  private final LongCounter requests;
  private final LongCounter errors;
  private final LongCounter overlapTruncations;
  private final LongCounter accountUnknown;
  private final ObservableLongGauge groups;

  public CloudWatchLogsSourceMetrics(MeterProvider meterProvider, IntSupplier groupCount) {
    Meter meter = meterProvider.get(SCOPE);
    events =
        meter
            .counterBuilder("apigateway_otel.logs.cloudwatch.events")
            .setUnit("{event}")
            .setDescription("Log events read from CloudWatch Logs and handed to the bridge.")
            .build();
    duplicates =
        meter
            .counterBuilder("apigateway_otel.logs.cloudwatch.duplicates")
            .setUnit("{event}")
            .setDescription("Log events read again (overlap window, restart) and skipped.")
            .build();
    requests =
        meter
            .counterBuilder("apigateway_otel.logs.cloudwatch.requests")
            .setUnit("{request}")
            .setDescription("CloudWatch Logs API calls made, SDK retries not included.")
            .build();
    errors =
        meter
            .counterBuilder("apigateway_otel.logs.cloudwatch.errors")
            .setUnit("{error}")
            .setDescription("CloudWatch Logs calls that failed after the SDK's retries.")
            .build();
    overlapTruncations =
        meter
            .counterBuilder("apigateway_otel.logs.cloudwatch.overlap_truncations")
            .setUnit("{truncation}")
            .setDescription(
                "Times a group's overlap window was shortened to bound the remembered event ids.")
            .build();
    accountUnknown =
        meter
            .counterBuilder("apigateway_otel.logs.cloudwatch.account_unknown")
            .setUnit("{event}")
            .setDescription(
                "Log events emitted without cloud.account.id: the account was not known yet (STS"
                    + " GetCallerIdentity had not answered).")
            .build();
    groups =
        meter
            .gaugeBuilder("apigateway_otel.logs.cloudwatch.groups")
            .ofLongs()
            .setUnit("{log_group}")
            .setDescription("Log groups being read.")
            .buildWithCallback(gauge -> gauge.record(groupCount.getAsInt()));
  }

  public void eventEmitted() {
    events.add(1);
  }

  public void duplicateSkipped() {
    duplicates.add(1);
  }

  public void request(String operation) {
    requests.add(1, Attributes.of(OPERATION, operation));
  }

  public void error(String operation, String errorType) {
    errors.add(1, Attributes.of(OPERATION, operation, ERROR_TYPE, errorType));
  }

  /** An error reading one group, counted with the group so operators see which one fails. */
  public void groupError(String operation, String errorType, String logGroup) {
    errors.add(
        1,
        Attributes.of(OPERATION, operation, ERROR_TYPE, errorType, LOG_GROUP, List.of(logGroup)));
  }

  public void accountUnknown() {
    accountUnknown.add(1);
  }

  public void overlapTruncated() {
    overlapTruncations.add(1);
  }

  @Override
  public void close() {
    groups.close();
  }
}
