package io.github.apigatewayotel.logs;

import io.github.apigatewayotel.logs.internal.red.ConfirmingMetricExporter;
import io.github.apigatewayotel.logs.internal.red.RequestLineReader;
import io.github.apigatewayotel.logs.internal.red.RequestMetricsProducer;
import io.github.apigatewayotel.logs.internal.red.RequestMetricsTelemetry;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.MetricProducer;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.IntPredicate;
import java.util.function.IntSupplier;

/**
 * Per-route RED metrics (rate, errors, duration) derived from the access-log lines an {@link
 * AccessLogBridge} parses: the semantic conventions' {@code http.server.request.duration} and
 * {@code http.server.response.body.size}, {@code aws.apigateway.integration.duration} and {@code
 * aws.apigateway.requests}, per stage, method, route template and exact status. Exact and on the
 * requests' own time: each request counts once, in the minute it was made, as long as that minute
 * is open (its end plus {@link Builder#setGracePeriod the grace period}); later lines are counted
 * in {@code apigateway_otel.logs.metrics.late}.
 *
 * <p>Register {@link #metricProducer()} with the host's {@code SdkMeterProviderBuilder}, give this
 * to the bridge ({@link AccessLogBridge.Builder#setRequestMetrics}) and, to have minutes of a
 * failed export offered again, wrap the host's metric exporter with {@link #wrap}.
 */
public final class RequestMetrics {

  /**
   * How long a minute stays open after its end: CloudWatch Logs usually delivers access logs within
   * seconds, and the same delay as the receiver's CloudWatch periods keeps both kinds of metrics
   * equally fresh.
   */
  public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofMinutes(3);

  /**
   * Series per stage (method x route x status) before the overflow series takes the rest: half the
   * SDK's default cardinality limit of 2,000 per instrument, since one instrument holds every stage
   * here.
   */
  public static final int DEFAULT_MAX_SERIES_PER_STAGE = 1_000;

  private final RequestMetricsProducer producer;
  private final RequestMetricsTelemetry telemetry;

  private RequestMetrics(Builder builder) {
    this.telemetry = new RequestMetricsTelemetry();
    this.producer =
        new RequestMetricsProducer(
            InstrumentationScopeInfo.create(AccessLogBridge.INSTRUMENTATION_SCOPE),
            builder.temporality,
            builder.gracePeriod.toMillis(),
            builder.maxSeriesPerStage,
            builder.lanes,
            builder.clock,
            telemetry);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The producer to register with the host's meter provider. */
  public MetricProducer metricProducer() {
    return producer;
  }

  /**
   * {@code exporter}, reporting each export's outcome: with delta temporality, the minutes of a
   * failed export are then offered again at the next collection, and a push reader's minutes are
   * released only once exported. Without it, a collected minute counts as exported.
   */
  public MetricExporter wrap(MetricExporter exporter) {
    Objects.requireNonNull(exporter, "exporter");
    producer.requireConfirmation();
    return new ConfirmingMetricExporter(exporter, producer::exported);
  }

  /** Where the metrics' own counters go; the first provider given wins. */
  void reportTo(MeterProvider meterProvider) {
    telemetry.reportTo(meterProvider);
  }

  RequestLineReader newLineReader(String defaultRegion, String defaultAccountId) {
    return new RequestLineReader(defaultRegion, defaultAccountId);
  }

  RequestMetricsProducer producer() {
    return producer;
  }

  RequestMetricsTelemetry telemetry() {
    return telemetry;
  }

  /** Configures {@link RequestMetrics}. */
  public static final class Builder {
    private AggregationTemporality temporality = AggregationTemporality.CUMULATIVE;
    private Duration gracePeriod = DEFAULT_GRACE_PERIOD;
    private int maxSeriesPerStage = DEFAULT_MAX_SERIES_PER_STAGE;
    private RequestMetricsProducer.ReaderLanes lanes = RequestMetricsProducer.ReaderLanes.SINGLE;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Delta (each closed minute once) or cumulative (running totals); default cumulative. */
    public Builder setAggregationTemporality(AggregationTemporality temporality) {
      this.temporality = Objects.requireNonNull(temporality, "temporality");
      return this;
    }

    /** How long a minute stays open after its end; default {@link #DEFAULT_GRACE_PERIOD}. */
    public Builder setGracePeriod(Duration gracePeriod) {
      Objects.requireNonNull(gracePeriod, "gracePeriod");
      if (gracePeriod.isNegative()) {
        throw new IllegalArgumentException("gracePeriod must not be negative: " + gracePeriod);
      }
      this.gracePeriod = gracePeriod;
      return this;
    }

    /**
     * Series per stage before its overflow series; default {@link #DEFAULT_MAX_SERIES_PER_STAGE}.
     */
    public Builder setMaxSeriesPerStage(int maxSeriesPerStage) {
      if (maxSeriesPerStage < 1) {
        throw new IllegalArgumentException(
            "maxSeriesPerStage must be positive: " + maxSeriesPerStage);
      }
      this.maxSeriesPerStage = maxSeriesPerStage;
      return this;
    }

    /**
     * Tells the producer which of the host's metric readers collects (e.g. the receiver's {@code
     * MetricReaderLanes}): every push reader then gets every closed minute, and pull readers
     * running totals. Default: one push reader.
     */
    public Builder setReaderLanes(IntSupplier count, IntSupplier collecting, IntPredicate pulls) {
      Objects.requireNonNull(count, "count");
      Objects.requireNonNull(collecting, "collecting");
      Objects.requireNonNull(pulls, "pulls");
      this.lanes =
          new RequestMetricsProducer.ReaderLanes() {
            @Override
            public int count() {
              return count.getAsInt();
            }

            @Override
            public int collecting() {
              return collecting.getAsInt();
            }

            @Override
            public boolean pulls(int lane) {
              return pulls.test(lane);
            }
          };
      return this;
    }

    /** For tests: the wall clock that opens and closes minutes. */
    Builder setClock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public RequestMetrics build() {
      return new RequestMetrics(this);
    }
  }
}
