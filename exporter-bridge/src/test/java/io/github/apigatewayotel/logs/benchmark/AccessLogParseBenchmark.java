package io.github.apigatewayotel.logs.benchmark;

import io.github.apigatewayotel.logs.AccessLogBridge;
import io.github.apigatewayotel.logs.AccessLogFormat;
import io.github.apigatewayotel.logs.LogOrigin;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
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
 * Lines per second, one thread, from a line to an emitted SDK log record through the bridge, for
 * each named format. Compare with {@link AccessLogParseBaseline} in the same run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AccessLogParseBenchmark {

  @Param({"json", "clf", "csv", "xml"})
  public String format;

  /** {@code minimal}: {@link MinimalSink}; {@code sdk}: the real SDK with a no-op processor. */
  @Param({"minimal", "sdk"})
  public String sink;

  private SdkLoggerProvider loggerProvider;
  private AccessLogBridge bridge;
  private AccessLogFormat accessLogFormat;
  private LogOrigin origin;
  private String[] lines;
  private int next;

  @Setup
  public void setUp() {
    loggerProvider = NoopSdk.loggerProvider();
    io.opentelemetry.api.logs.LoggerProvider target =
        "sdk".equals(sink) ? loggerProvider : new MinimalSink();
    accessLogFormat = AccessLogFormat.of(format);
    bridge = AccessLogBridge.builder(target).setCloudRegion("eu-west-1").build();
    origin = LogOrigin.cloudWatchLogs("api-gateway-prod", "stream", "eu-west-1", "123456789012");
    lines = SampleLines.lines(format);
  }

  @TearDown
  public void tearDown() {
    loggerProvider.close();
  }

  @Benchmark
  public void bridge() {
    bridge.emit(accessLogFormat, lines[next++ & (SampleLines.COUNT - 1)], origin, 1L);
  }
}
