package io.github.apigatewayotel.spi.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.github.apigatewayotel.logs.AccessLogBridge;
import io.github.apigatewayotel.logs.AccessLogFormat;
import io.github.apigatewayotel.logs.ClientAddressPolicy;
import io.github.apigatewayotel.logs.CloudWatchLogsSubscription;
import io.github.apigatewayotel.logs.LogDeliveryTracker;
import io.github.apigatewayotel.spi.internal.AccessLogBridgeProperties;
import io.github.apigatewayotel.spi.internal.OtlpRejections;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An AWS Lambda handler for CloudWatch Logs subscription events ({@code {"awslogs":{"data":...}}}):
 * the seed's log forwarder, but to OTLP. Handler name: {@code
 * io.github.apigatewayotel.spi.lambda.AccessLogForwarder::handleRequest}.
 *
 * <p>The OpenTelemetry SDK is built once per container (Lambda creates one handler instance per
 * container) with SDK autoconfigure, so the usual {@code OTEL_*} variables choose and configure the
 * exporter; logs go to OTLP by default, traces and metrics nowhere unless configured. Each
 * invocation decodes the delivery, emits one log record per access-log line, and returns once the
 * exporter has exported every one of them ({@link LogDeliveryTracker}), emitting again those whose
 * export failed, within the invocation's remaining time. Past it the handler throws, so Lambda
 * retries the whole batch (asynchronous invocations are retried twice by default): a line may then
 * be delivered twice, never silently dropped.
 *
 * <p>The access-log format comes from {@code OTEL_APIGATEWAY_LOGS_FORMAT} (or the system property
 * {@code otel.apigateway.logs.format}), as for the plugin, and so does the client-address policy
 * ({@code OTEL_APIGATEWAY_LOGS_CLIENT_ADDRESS} and {@code ..._KEY}); the record's {@code
 * cloud.account.id} is the delivery's owner and {@code cloud.region} is {@code AWS_REGION}.
 *
 * <p>Uses {@link RequestStreamHandler} and parses the event itself, so the Lambda runtime's own
 * Jackson never meets the plugin's.
 */
public final class AccessLogForwarder implements RequestStreamHandler {

  private static final Logger logger = Logger.getLogger(AccessLogForwarder.class.getName());

  public static final String FORMAT_ENV = "OTEL_APIGATEWAY_LOGS_FORMAT";
  public static final String FORMAT_PROPERTY = "otel.apigateway.logs.format";
  public static final String CLIENT_ADDRESS_ENV = "OTEL_APIGATEWAY_LOGS_CLIENT_ADDRESS";
  public static final String CLIENT_ADDRESS_KEY_ENV = "OTEL_APIGATEWAY_LOGS_CLIENT_ADDRESS_KEY";

  /** Stops flushing this long before Lambda's deadline, to return (or throw) in time. */
  static final long FLUSH_SAFETY_MARGIN_MILLIS = 500;

  /** The shortest flush ever attempted, even when the deadline is closer. */
  static final long MIN_FLUSH_MILLIS = 100;

  /** The flush bound when there is no Lambda context (local runs). */
  static final long DEFAULT_FLUSH_MILLIS = 10_000;

  private final OpenTelemetrySdk sdk;
  private final AccessLogBridge bridge;
  private final String region;

  /** Called by the Lambda runtime once per container. */
  public AccessLogForwarder() {
    this(System::getenv);
  }

  AccessLogForwarder(UnaryOperator<String> environment) {
    // The batch processor's forceFlush succeeds even when its export failed: the tracker watches
    // the exporter itself, record by record, so a lost record fails the invocation.
    AtomicReference<OpenTelemetrySdk> built = new AtomicReference<>();
    LogDeliveryTracker tracker =
        LogDeliveryTracker.create(
            () -> built.get().getSdkLoggerProvider().forceFlush(),
            OtlpRejections::permanentRejection);
    this.sdk = buildSdk(tracker);
    built.set(sdk);
    this.region = environment.apply("AWS_REGION");
    AccessLogFormat format = formatFrom(environment);
    this.bridge =
        AccessLogBridge.builder(sdk.getSdkLoggerProvider())
            .setDeliveryTracker(tracker)
            .setFormat(format)
            .setMeterProvider(sdk.getMeterProvider())
            .setClientAddressPolicy(clientAddressPolicyFrom(environment))
            .build();
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) {
    long flushMillis = flushBudget(context);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(flushMillis);
    CloudWatchLogsSubscription delivery;
    try {
      delivery = CloudWatchLogsSubscription.fromLambdaEvent(input);
    } catch (IllegalArgumentException | java.io.IOException e) {
      // Retrying cannot repair a payload: report it and let the batch go.
      logger.log(Level.WARNING, "Not a CloudWatch Logs subscription event; ignored", e);
      return;
    }
    logger.log(
        Level.FINE,
        "Forwarding {0} access-log lines from {1}",
        new Object[] {delivery.logEvents().size(), delivery});
    // Records whose export fails are emitted again until the deadline; past it, the invocation
    // fails and Lambda delivers the whole batch again.
    if (!delivery.deliverTo(bridge, null, region, deadline)) {
      throw new IllegalStateException(
          "Exporting "
              + delivery.logEvents().size()
              + " access-log lines did not succeed within "
              + flushMillis
              + " ms; failing the invocation so Lambda retries the batch");
    }
  }

  /** The OpenTelemetry SDK this forwarder exports through (for tests and shutdown hooks). */
  OpenTelemetrySdk sdk() {
    return sdk;
  }

  static long flushBudget(Context context) {
    if (context == null) {
      return DEFAULT_FLUSH_MILLIS;
    }
    return Math.max(
        MIN_FLUSH_MILLIS, context.getRemainingTimeInMillis() - FLUSH_SAFETY_MARGIN_MILLIS);
  }

  private static OpenTelemetrySdk buildSdk(LogDeliveryTracker tracker) {
    return AutoConfiguredOpenTelemetrySdk.builder()
        .addLogRecordExporterCustomizer((exporter, config) -> tracker.wrap(exporter))
        // Defaults only: OTEL_* variables and system properties still decide.
        .addPropertiesSupplier(
            () ->
                Map.of(
                    "otel.logs.exporter", "otlp",
                    // The deployment package ships the HTTP sender only: no gRPC stack to
                    // cold-start.
                    "otel.exporter.otlp.protocol", "http/protobuf",
                    "otel.traces.exporter", "none",
                    "otel.metrics.exporter", "none"))
        // The plugin's own providers are on this classpath too: in a forwarder they must not
        // start CloudWatch polling or metric collection of their own.
        .addPropertiesCustomizer(
            config ->
                Map.of(
                    "otel.apigateway.metrics.enabled", "false",
                    "otel.apigateway.logs.enabled", "false"))
        .build()
        .getOpenTelemetrySdk();
  }

  private static AccessLogFormat formatFrom(UnaryOperator<String> environment) {
    String value = environment.apply(FORMAT_ENV);
    String key = FORMAT_ENV;
    if (value == null || value.isBlank()) {
      value = System.getProperty(FORMAT_PROPERTY);
      key = FORMAT_PROPERTY;
    }
    if (value == null || value.isBlank()) {
      return AccessLogFormat.defaultFormat();
    }
    if (value.trim().equalsIgnoreCase("auto")) {
      logger.log(
          Level.WARNING,
          "{0}=auto needs API Gateway access, which the forwarder does not use; give the format"
              + " string or name instead. Using the default (seed JSON) format.",
          key);
      return AccessLogFormat.defaultFormat();
    }
    try {
      return AccessLogFormat.of(value.trim());
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(
          "Invalid value for " + key + ": " + e.getMessage() + " (value: " + value + ")", e);
    }
  }

  /** As the format: the variable, else the system property; the key from the same source. */
  private static ClientAddressPolicy clientAddressPolicyFrom(UnaryOperator<String> environment) {
    String mode = environment.apply(CLIENT_ADDRESS_ENV);
    if (mode != null && !mode.isBlank()) {
      return AccessLogBridgeProperties.clientAddressPolicy(
          CLIENT_ADDRESS_ENV,
          mode,
          CLIENT_ADDRESS_KEY_ENV,
          environment.apply(CLIENT_ADDRESS_KEY_ENV));
    }
    // The variables' names are the new dotted keys' and the old keys' alike; a system property may
    // still use an old underscore spelling.
    Map<String, String> properties = new HashMap<>();
    System.getProperties()
        .forEach((key, value) -> properties.put(String.valueOf(key), String.valueOf(value)));
    return AccessLogBridgeProperties.clientAddressPolicy(
        DefaultConfigProperties.createFromMap(properties));
  }

  @Override
  public String toString() {
    return "AccessLogForwarder[region=" + Objects.toString(region, "unknown") + "]";
  }
}
