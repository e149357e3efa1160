package io.github.apigatewayotel.receiver;

import io.github.apigatewayotel.receiver.internal.ApiInventory;
import io.github.apigatewayotel.receiver.internal.ApiInventoryLoader;
import io.github.apigatewayotel.receiver.internal.AwsCallRetrier;
import io.github.apigatewayotel.receiver.internal.AwsClients;
import io.github.apigatewayotel.receiver.internal.ProblemLog;
import io.github.apigatewayotel.receiver.internal.ReceiverTelemetry;
import io.opentelemetry.api.metrics.MeterProvider;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * The polling receiver's discovery (apigateway GetRestApis, apigatewayv2 GetApis, tag:GetResources)
 * for streamed metrics: each region's inventory is loaded when a datapoint of the region first
 * arrives and again every refresh interval (15 minutes by default, as the receiver's), so a fleet
 * of N endpoint instances makes N times the receiver's discovery calls, and no other AWS call. A
 * region whose discovery fails maps by dimensions alone (no tags) until the next attempt, a minute
 * later.
 */
public final class StreamedMetricsDiscovery implements AutoCloseable {
  private static final Logger logger = Logger.getLogger(StreamedMetricsDiscovery.class.getName());

  static final Duration RETRY_AFTER_FAILURE = Duration.ofMinutes(1);

  private final AwsClients clients;
  private final ApiInventoryLoader loader;
  private final Duration refreshInterval;
  private final Clock clock;
  private final Map<String, Loaded> regions = new ConcurrentHashMap<>();

  private record Loaded(ApiInventory inventory, Instant nextLoad) {}

  private StreamedMetricsDiscovery(Builder builder) {
    ReceiverTelemetry telemetry = new ReceiverTelemetry(builder.meterProvider);
    AwsCredentialsProvider credentials =
        builder.credentialsProvider != null
            ? builder.credentialsProvider
            : DefaultCredentialsProvider.builder().build();
    this.clients = new AwsClients(builder.endpointOverride, credentials, null, null, "us-east-1");
    this.loader =
        new ApiInventoryLoader(
            new AwsCallRetrier(
                3,
                Duration.ofMillis(200),
                Duration.ofSeconds(5),
                d -> Thread.sleep(d.toMillis()),
                telemetry),
            new ProblemLog(),
            telemetry);
    this.refreshInterval = builder.refreshInterval;
    this.clock = builder.clock;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The region's inventory, loading it if due; null when none could be loaded yet. */
  ApiInventory inventory(String region) {
    if (region == null) {
      return null;
    }
    Loaded loaded = regions.get(region);
    if (loaded != null && clock.instant().isBefore(loaded.nextLoad())) {
      return loaded.inventory();
    }
    synchronized (this) {
      loaded = regions.get(region);
      if (loaded != null && clock.instant().isBefore(loaded.nextLoad())) {
        return loaded.inventory();
      }
      try {
        ApiInventory inventory = loader.load(region, clients.region(region));
        regions.put(region, new Loaded(inventory, clock.instant().plus(refreshInterval)));
        return inventory;
      } catch (RuntimeException e) {
        logger.log(
            Level.WARNING,
            "apigateway-otel streamed metrics: discovery of "
                + region
                + " failed ("
                + e.getMessage()
                + "); its points carry what their dimensions say, without tags,"
                + " until discovery works (next attempt in "
                + RETRY_AFTER_FAILURE.toMinutes()
                + " minute)");
        ApiInventory previous = loaded == null ? null : loaded.inventory();
        regions.put(region, new Loaded(previous, clock.instant().plus(RETRY_AFTER_FAILURE)));
        return previous;
      }
    }
  }

  @Override
  public void close() {
    clients.close();
  }

  /** Settings as the polling receiver's ({@link ApiGatewayMetricsReceiver.Builder}). */
  public static final class Builder {
    private URI endpointOverride;
    private AwsCredentialsProvider credentialsProvider;
    private Duration refreshInterval = Duration.ofMinutes(15);
    private MeterProvider meterProvider = MeterProvider.noop();
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    public Builder endpointOverride(URI endpointOverride) {
      this.endpointOverride = endpointOverride;
      return this;
    }

    public Builder credentialsProvider(AwsCredentialsProvider credentialsProvider) {
      this.credentialsProvider = credentialsProvider;
      return this;
    }

    public Builder refreshInterval(Duration refreshInterval) {
      if (refreshInterval.isNegative() || refreshInterval.isZero()) {
        throw new IllegalArgumentException("refreshInterval must be positive: " + refreshInterval);
      }
      this.refreshInterval = refreshInterval;
      return this;
    }

    public Builder meterProvider(MeterProvider meterProvider) {
      this.meterProvider = Objects.requireNonNull(meterProvider, "meterProvider");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public StreamedMetricsDiscovery build() {
      return new StreamedMetricsDiscovery(this);
    }
  }
}
