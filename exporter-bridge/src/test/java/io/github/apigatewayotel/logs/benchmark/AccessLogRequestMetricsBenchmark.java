package io.github.apigatewayotel.logs.benchmark;

import io.github.apigatewayotel.logs.AccessLogBridge;
import io.github.apigatewayotel.logs.AccessLogFormat;
import io.github.apigatewayotel.logs.LogOrigin;
import io.github.apigatewayotel.logs.RequestMetrics;
import io.opentelemetry.api.logs.LoggerProvider;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What deriving the request metrics costs on top of parsing: lines per second, one thread, through
 * a bridge without request metrics ({@link #bridge}) and one with them ({@link
 * #bridgeWithRequestMetrics}), on the same lines and sink, in one run. The requests were made in
 * the last two minutes and minutes stay open an hour, so every line is counted (none is late), with
 * a real SDK meter provider collecting the producer. See docs/BENCHMARKS.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AccessLogRequestMetricsBenchmark {

  /** {@code json}: the seed's (no latency); {@code json-latency}: latencies and X-Ray ids too. */
  @Param({"json", "json-latency"})
  public String format;

  @Param({"minimal", "sdk"})
  public String sink;

  private SdkLoggerProvider loggerProvider;
  private SdkMeterProvider meterProvider;
  private InMemoryMetricReader reader;
  private AccessLogBridge plain;
  private AccessLogBridge withMetrics;
  private AccessLogFormat accessLogFormat;
  private LogOrigin origin;
  private String[] lines;
  private int next;

  @Setup
  public void setUp() {
    loggerProvider = NoopSdk.loggerProvider();
    LoggerProvider target = "sdk".equals(sink) ? loggerProvider : new MinimalSink();
    RequestMetrics metrics =
        RequestMetrics.builder()
            .setAggregationTemporality(AggregationTemporality.DELTA)
            .setGracePeriod(Duration.ofHours(1))
            .build();
    reader = InMemoryMetricReader.createDelta();
    meterProvider =
        SdkMeterProvider.builder()
            .registerMetricReader(reader)
            .registerMetricProducer(metrics.metricProducer())
            .build();
    accessLogFormat = SampleLines.format(format);
    plain = AccessLogBridge.builder(target).setCloudRegion("eu-west-1").build();
    withMetrics =
        AccessLogBridge.builder(target)
            .setCloudRegion("eu-west-1")
            .setMeterProvider(meterProvider)
            .setRequestMetrics(metrics)
            .build();
    origin = LogOrigin.cloudWatchLogs("api-gateway-prod", "stream", "eu-west-1", "123456789012");
    lines = SampleLines.lines(format, System.currentTimeMillis() - 120_000, 120_000);
  }

  @TearDown
  public void tearDown() {
    reader.collectAllMetrics();
    loggerProvider.close();
    meterProvider.close();
  }

  @Benchmark
  public void bridge() {
    plain.emit(accessLogFormat, lines[next++ & (SampleLines.COUNT - 1)], origin, 1L);
  }

  @Benchmark
  public void bridgeWithRequestMetrics() {
    withMetrics.emit(accessLogFormat, lines[next++ & (SampleLines.COUNT - 1)], origin, 1L);
  }

  /** Lines left out as late or future (the CPU-time harness checks that there were none). */
  long lateLines() {
    return reader.collectAllMetrics().stream()
        .filter(m -> m.getName().equals("apigateway_otel.logs.metrics.late"))
        .flatMap(m -> m.getLongSumData().getPoints().stream())
        .mapToLong(p -> p.getValue())
        .sum();
  }
}
