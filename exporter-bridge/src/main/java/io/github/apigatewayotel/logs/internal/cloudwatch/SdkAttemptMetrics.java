package io.github.apigatewayotel.logs.internal.cloudwatch;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.MeterProvider;
import java.util.List;
import software.amazon.awssdk.core.metrics.CoreMetric;
import software.amazon.awssdk.metrics.MetricCollection;
import software.amazon.awssdk.metrics.MetricPublisher;

/**
 * Counts every failed attempt of the CloudWatch Logs client's calls, the AWS SDK's own retries
 * included, by operation and error type ({@code throttled}, {@code server_error}, {@code network},
 * {@code client_error}). The source's error counter sees a call only once the SDK gives up; without
 * this, an account throttling half of the calls looks healthy in the plugin's own metrics.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class SdkAttemptMetrics implements MetricPublisher {

  private static final String ATTEMPT = "ApiCallAttempt";

  private final LongCounter attemptErrors;

  public SdkAttemptMetrics(MeterProvider meterProvider) {
    attemptErrors =
        meterProvider
            .get(CloudWatchLogsSourceMetrics.SCOPE)
            .counterBuilder("apigateway_otel.logs.cloudwatch.attempt_errors")
            .setUnit("{attempt}")
            .setDescription(
                "Failed attempts of CloudWatch Logs calls, the AWS SDK's retries included.")
            .build();
  }

  @Override
  public void publish(MetricCollection call) {
    List<String> operations = call.metricValues(CoreMetric.OPERATION_NAME);
    String operation = operations.isEmpty() ? "unknown" : operations.get(0);
    call.childrenWithName(ATTEMPT)
        .flatMap(attempt -> attempt.metricValues(CoreMetric.ERROR_TYPE).stream())
        .forEach(
            sdkErrorType ->
                attemptErrors.add(
                    1,
                    Attributes.of(
                        CloudWatchLogsSourceMetrics.OPERATION,
                        operation,
                        CloudWatchLogsSourceMetrics.ERROR_TYPE,
                        errorType(sdkErrorType))));
  }

  /** The SDK's error types (Throttling, ServerError, ConfiguredTimeout, IO, Other) in ours. */
  static String errorType(String sdkErrorType) {
    return switch (sdkErrorType) {
      case "Throttling" -> AwsFailure.THROTTLED.errorType();
      case "ServerError" -> AwsFailure.SERVER_ERROR.errorType();
      case "ConfiguredTimeout", "IO" -> AwsFailure.NETWORK.errorType();
      default -> AwsFailure.CLIENT_ERROR.errorType();
    };
  }

  @Override
  public void close() {
    // Nothing to release: the counter belongs to the meter provider.
  }
}
