package io.github.apigatewayotel.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import io.github.apigatewayotel.testing.aws.SimulatedStageLogs;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The simulated account's access logs and its CloudWatch metrics describe the same traffic: read
 * from CloudWatch Logs by the real source, the request metrics derived from the log give, per route
 * and minute, exactly CloudWatch's {@code Count}, and per stage and minute its {@code 4XXError} and
 * {@code 5XXError}.
 */
class RequestMetricsMatchCloudWatchTest {

  private static final String REGION = CloudWatchLogsTestFixture.REGION;
  private static final long SEED = 42;
  private static final long T0 = Instant.parse("2026-11-24T15:00:00Z").getEpochSecond();
  private static final int MINUTES = 5;
  private static final String GROUP = "api-gateway-pets-api-prod";
  private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<Long> STATUS =
      AttributeKey.longKey("http.response.status_code");

  private final SimulatedAccount account = SimulatedAccount.demo("123456789012", REGION, SEED);
  private final SimulatedAccount.Api pets = account.api("a1b2c3d4e5");

  @Test
  void countsPerRouteAndMinuteAreCloudWatchsCountAndErrorsItsErrorMetrics() throws Exception {
    long t0Millis = TimeUnit.SECONDS.toMillis(T0);
    try (CloudWatchLogsTestFixture fixture = new CloudWatchLogsTestFixture();
        // Read while every minute is open; collected once the last has closed.
        RequestMetricsHarness metrics =
            new RequestMetricsHarness(t0Millis + 2 * 60_000, AggregationTemporality.DELTA)) {
      SimulatedStageLogs stageLogs = new SimulatedStageLogs(account, pets, "prod", SEED);
      int lines = 0;
      for (int m = 0; m < MINUTES; m++) {
        lines +=
            stageLogs
                .writeMinute(fixture.logs, GROUP, RequestMetricsHarness.FORMAT, T0 + 60L * m, false)
                .size();
      }
      fixture.clock.setMillis(t0Millis + MINUTES * 60_000L + 1);
      CloudWatchLogsSource source =
          CloudWatchLogsSource.builder(metrics.bridge)
              .setClient(fixture.client)
              .addLogGroupName(GROUP)
              .setLookback(Duration.ofMinutes(10))
              .setClock(fixture.clock)
              .setRandom(() -> 0.0)
              .build();
      source.pollOnce();
      source.close();
      assertThat(metrics.logs.getFinishedLogRecordItems()).hasSize(lines);

      metrics.clock.setMillis(t0Millis + (MINUTES + 4) * 60_000L);
      List<MetricData> collected = metrics.collect();

      Map<String, Long> logCounts = new HashMap<>();
      Map<String, Long> logErrors = new HashMap<>();
      long fromRequests = 0;
      for (HistogramPointData point :
          RequestMetricsHarness.histogram(collected, RequestMetricsHarness.DURATION)) {
        Attributes a = point.getAttributes();
        long minute = TimeUnit.NANOSECONDS.toSeconds(point.getStartEpochNanos());
        assertThat(point.getEpochNanos() - point.getStartEpochNanos())
            .isEqualTo(TimeUnit.MINUTES.toNanos(1));
        logCounts.merge(
            a.get(METHOD) + " " + a.get(ROUTE) + "@" + minute, point.getCount(), Long::sum);
        long status = a.get(STATUS);
        if (status >= 400) {
          logErrors.merge((status / 100) + "XXError@" + minute, point.getCount(), Long::sum);
        }
      }
      for (LongPointData point :
          RequestMetricsHarness.sum(collected, RequestMetricsHarness.REQUESTS)) {
        fromRequests += point.getValue();
      }
      assertThat(fromRequests).as("aws.apigateway.requests counts every line").isEqualTo(lines);

      int compared = 0;
      for (int m = 0; m < MINUTES; m++) {
        long minute = T0 + 60L * m;
        for (String route : pets.routes()) {
          int space = route.indexOf(' ');
          SimulatedAccount.Series count =
              new SimulatedAccount.Series(
                  REGION,
                  pets.id(),
                  "Count",
                  Map.of(
                      "ApiName",
                      pets.cloudWatchName(),
                      "Stage",
                      "prod",
                      "Method",
                      route.substring(0, space),
                      "Resource",
                      route.substring(space + 1)));
          double cloudWatch = account.value(count, "Sum", minute, 60);
          assertThat(cloudWatch).as("traffic on %s at %d", route, minute).isPositive();
          assertThat(logCounts.getOrDefault(route + "@" + minute, 0L))
              .as("%s at %d", route, minute)
              .isEqualTo((long) cloudWatch);
          compared++;
        }
        for (String errors : List.of("4XXError", "5XXError")) {
          SimulatedAccount.Series series =
              new SimulatedAccount.Series(
                  REGION,
                  pets.id(),
                  errors,
                  Map.of("ApiName", pets.cloudWatchName(), "Stage", "prod"));
          assertThat(logErrors.getOrDefault(errors + "@" + minute, 0L))
              .as("%s at %d", errors, minute)
              .isEqualTo((long) account.value(series, "Sum", minute, 60));
        }
      }
      assertThat(compared).isEqualTo(MINUTES * pets.routes().size());
      assertThat(logErrors.values().stream().mapToLong(Long::longValue).sum())
          .as("the minutes have errors to compare")
          .isPositive();
    }
  }
}
