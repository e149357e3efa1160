package io.github.apigatewayotel.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A day of lookback ({@code otel.apigateway.metrics.lookback=1d}) is one poll of 1,440 periods of
 * every series: once one OTLP request of about 140 MB, which a backend with an OpenTelemetry
 * Collector's default limit (20 MiB per OTLP/HTTP body) refused for ever, and which made a host
 * with a 256 MB heap run out of memory. The standalone host ({@code -Xmx256m}, as every child JVM
 * here) now hands it to that backend in pieces, every point once, and exits 0.
 */
class LongLookbackIT {

  /** A Collector's OTLP/HTTP receiver's default {@code max_request_body_size}. */
  private static final long COLLECTOR_HTTP_LIMIT = 20L * 1024 * 1024;

  private static final int PERIODS_IN_A_DAY = 1_440;

  @TempDir Path dir;

  @Test
  void aDayOfLookbackReachesABackendWithTheCollectorsDefaultLimitInPiecesEveryPointOnce()
      throws Exception {
    long expected = (long) new DemoSeries().streams().size() * PERIODS_IN_A_DAY;
    try (OtlpTestReceiver receiver =
            OtlpTestReceiver.startCountingOnly().limitRequestBytes(COLLECTOR_HTTP_LIMIT);
        ChildJvm host =
            ChildJvm.start(
                ItHosts.exportTo(
                    receiver,
                    "-Dotel.logs.exporter=none",
                    "-Dotel.apigateway.logs.enabled=false",
                    "-Dotel.apigateway.metrics.lookback=1d"),
                List.of("-jar", ItPaths.demoJar().toString(), "--once"),
                dir)) {
      assertThat(host.waitFor(600)).as("exit status; output:%n%s", host.output()).isZero();
      assertThat(receiver.rejectedRequests()).as("requests refused").isZero();
      assertThat(receiver.apiGatewayPointCount()).as("datapoints received").isEqualTo(expected);
      assertThat(receiver.largestMetricRequestBytes())
          .as("the largest request")
          .isLessThanOrEqualTo(4L * 1024 * 1024);
      long requests =
          receiver.requestHeaders().stream()
              .filter(headers -> "/v1/metrics".equals(headers.get(OtlpTestReceiver.PATH_KEY)))
              .count();
      assertThat(requests).as("metric requests").isGreaterThanOrEqualTo(expected / 5_000);
      System.out.printf(
          "a day of lookback: %,d datapoints in %d requests, the largest %,d bytes%n",
          receiver.apiGatewayPointCount(), requests, receiver.largestMetricRequestBytes());
    }
  }
}
