package io.github.apigatewayotel.logs;

import io.github.apigatewayotel.logs.internal.AwsClientSettings;
import io.github.apigatewayotel.logs.internal.apigateway.FormatDiscoveryMetrics;
import io.github.apigatewayotel.logs.internal.apigateway.FormatsByLogGroup;
import io.github.apigatewayotel.logs.internal.apigateway.StageLogSettingsReader;
import io.github.apigatewayotel.logs.internal.cloudwatch.AwsFailure;
import io.github.apigatewayotel.state.internal.AwsProblem;
import io.github.apigatewayotel.state.internal.OnceLogger;
import io.opentelemetry.api.metrics.MeterProvider;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;

/**
 * Each API Gateway stage's own access-log format, by the CloudWatch Logs group it writes to ({@code
 * otel.apigateway.logs.format=auto}): every REST, HTTP and WebSocket stage's {@code
 * accessLogSettings} of one region, read with {@code apigateway:GET}. Give {@link #formatOf} to
 * {@link CloudWatchLogsSourceBuilder#setFormatForGroup} and {@link #logGroupNames} to {@link
 * CloudWatchLogsSourceBuilder#addLogGroupNameSupplier}.
 *
 * <p>{@link #refresh()} never throws: after the AWS SDK's retries, a failure is logged (once per
 * kind until a refresh succeeds), counted under {@code apigateway_otel.logs.format_discovery.*},
 * and the previous map is kept. Thread-safe.
 */
public final class StageAccessLogFormats implements AutoCloseable {

  private static final Logger logger = Logger.getLogger(StageAccessLogFormats.class.getName());

  private final ApiGatewayClient restClient;
  private final ApiGatewayV2Client v2Client;
  private final boolean ownsClients;
  private final String region;
  private final StageLogSettingsReader reader;
  private final FormatsByLogGroup formatsByLogGroup;
  private final FormatDiscoveryMetrics metrics;

  /** Each kind of failure logged at WARNING once until a refresh succeeds, then at FINE. */
  private final OnceLogger failures = new OnceLogger(logger);

  private volatile Map<String, AccessLogFormat> formats = Map.of();
  private volatile String lastProblem;

  private StageAccessLogFormats(
      Builder builder, ApiGatewayClient restClient, ApiGatewayV2Client v2Client, boolean owns) {
    this.restClient = restClient;
    this.v2Client = v2Client;
    this.ownsClients = owns;
    this.region = builder.clientSettings.region();
    this.reader = new StageLogSettingsReader(restClient, v2Client);
    this.metrics =
        new FormatDiscoveryMetrics(
            builder.meterProvider == null ? MeterProvider.noop() : builder.meterProvider);
    this.formatsByLogGroup = new FormatsByLogGroup(metrics);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads every stage's access-log settings again. Returns whether it succeeded; on failure the
   * previous formats stay in use.
   */
  public boolean refresh() {
    try {
      Map<String, AccessLogFormat> found = formatsByLogGroup.map(reader.read());
      if (!found.keySet().equals(formats.keySet())) {
        logger.log(
            Level.INFO,
            "API Gateway access-log formats{0}: log groups {1}",
            new Object[] {region == null ? "" : " in " + region, found.keySet()});
      }
      formats = found;
      lastProblem = null;
      metrics.refreshed();
      failures.clearIf(kind -> true);
      return true;
    } catch (RuntimeException e) {
      AwsProblem problem = AwsProblem.of(e, "apigateway:GET");
      AwsFailure failure = AwsFailure.of(problem);
      metrics.error(failure.errorType());
      String message =
          "Reading API Gateway stages' access-log settings"
              + (region == null ? "" : " in " + region)
              + " failed: "
              + problem.describe()
              + ". Keeping the formats known so far (their groups are still read)";
      lastProblem = message;
      failures.warning(failure.errorType(), message);
      return false;
    }
  }

  /** What the last refresh ran into, or null when it succeeded (or none ran yet). */
  public String lastProblem() {
    return lastProblem;
  }

  /** The formats found by the last successful refresh, by log group name; immutable. */
  public Map<String, AccessLogFormat> formats() {
    return formats;
  }

  /** The format of the stage(s) writing to {@code logGroup}, or null when none is known. */
  public AccessLogFormat formatOf(String logGroup) {
    return formats.get(logGroup);
  }

  /**
   * The stage whose access logs go to {@code logGroup} (as of the last successful refresh), or null
   * when none is known.
   */
  public ApiStage stageOf(String logGroup) {
    return formatsByLogGroup.stages().get(logGroup);
  }

  /** The CloudWatch Logs groups stages write access logs to. */
  public Set<String> logGroupNames() {
    return formats.keySet();
  }

  /** Closes the AWS clients if this built them. */
  @Override
  public void close() {
    if (ownsClients) {
      restClient.close();
      v2Client.close();
    }
  }

  /** Configures a {@link StageAccessLogFormats}. */
  public static final class Builder {

    private ApiGatewayClient restClient;
    private ApiGatewayV2Client v2Client;
    private final AwsClientSettings clientSettings = new AwsClientSettings();
    private MeterProvider meterProvider;

    private Builder() {}

    /**
     * The clients to use (not closed by {@link #close()}); override region/endpoint/credentials.
     */
    public Builder setClients(ApiGatewayClient restClient, ApiGatewayV2Client v2Client) {
      this.restClient = Objects.requireNonNull(restClient, "restClient");
      this.v2Client = Objects.requireNonNull(v2Client, "v2Client");
      return this;
    }

    /** The AWS region of the APIs; required unless clients are given. */
    public Builder setRegion(String region) {
      clientSettings.setRegion(region);
      return this;
    }

    /** An endpoint override for the clients this builds (tests, VPC endpoints). */
    public Builder setEndpointOverride(URI endpoint) {
      clientSettings.setEndpointOverride(endpoint);
      return this;
    }

    /** Credentials for the clients this builds; default: the SDK's default chain. */
    public Builder setCredentialsProvider(AwsCredentialsProvider credentialsProvider) {
      clientSettings.setCredentialsProvider(credentialsProvider);
      return this;
    }

    /** Where the discovery counters go; default none. */
    public Builder setMeterProvider(MeterProvider meterProvider) {
      this.meterProvider = Objects.requireNonNull(meterProvider, "meterProvider");
      return this;
    }

    /** Builds the clients if needed; reads nothing until {@link #refresh()}. */
    public StageAccessLogFormats build() {
      if (restClient != null) {
        return new StageAccessLogFormats(this, restClient, v2Client, false);
      }
      return new StageAccessLogFormats(
          this,
          clientSettings.build(ApiGatewayClient.builder(), "clients are"),
          clientSettings.build(ApiGatewayV2Client.builder(), "clients are"),
          true);
    }
  }
}
