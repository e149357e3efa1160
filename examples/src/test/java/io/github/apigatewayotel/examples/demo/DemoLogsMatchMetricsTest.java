package io.github.apigatewayotel.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The demo's access-log lines and the simulated account's CloudWatch metrics tell the same story: a
 * stage's lines over a minute are that minute's Count, 4xx and 5xx, and their latencies lie within
 * the minute's Latency minimum and maximum.
 */
class DemoLogsMatchMetricsTest {

  private static final long MINUTE = Instant.parse("2026-11-24T15:42:00Z").getEpochSecond();

  private final SimulatedAccount account =
      SimulatedAccount.demo(DemoAccount.ACCOUNT_ID, DemoAccount.REGION, DemoAccount.SEED);
  private final TrafficModel model = new TrafficModel(DemoAccount.SEED);

  @Test
  void aStagesLogLinesOverTenMinutesAreItsCountAndErrorMetrics() {
    int errorLines = 0;
    for (DemoLogGroup group :
        DemoLogGroup.of(account, DemoAccount.REGION, DemoLogGroup.Layout.SEED_JSON_EVERYWHERE)) {
      SimulatedAccount.Api api = group.api();
      boolean webSocket = api.type() == SimulatedAccount.ApiType.WEBSOCKET;
      String apiKey = api.type() == SimulatedAccount.ApiType.REST ? "ApiName" : "ApiId";
      String apiValue =
          api.type() == SimulatedAccount.ApiType.REST ? api.cloudWatchName() : api.id();
      for (long minute = MINUTE; minute < MINUTE + 600; minute += 60) {
        long lines = 0;
        long clientErrors = 0;
        long serverErrors = 0;
        long slowest = 0;
        long fastest = Long.MAX_VALUE;
        for (long second = minute; second < minute + 60; second++) {
          for (SimulatedRequest request : model.requests(group, second)) {
            if (webSocket && request.routeKey().equals("$connect")) {
              continue; // counted by ConnectCount, not MessageCount
            }
            lines++;
            clientErrors += request.status() / 100 == 4 ? 1 : 0;
            serverErrors += request.status() / 100 == 5 ? 1 : 0;
            slowest = Math.max(slowest, request.latencyMillis());
            fastest = Math.min(fastest, request.latencyMillis());
          }
        }
        errorLines += clientErrors + serverErrors;
        var dims = java.util.Map.of(apiKey, apiValue, "Stage", group.stage());
        String count = webSocket ? "MessageCount" : "Count";
        String client =
            switch (api.type()) {
              case REST -> "4XXError";
              case HTTP -> "4xx";
              case WEBSOCKET -> "ClientError";
            };
        List<String> server =
            switch (api.type()) {
              case REST -> List.of("5XXError");
              case HTTP -> List.of("5xx");
              case WEBSOCKET -> List.of("ExecutionError", "IntegrationError");
            };
        String what = group.name() + " at " + Instant.ofEpochSecond(minute);
        assertThat(lines).as(what).isEqualTo((long) sum(api, count, dims, minute));
        assertThat(clientErrors).as(what).isEqualTo((long) sum(api, client, dims, minute));
        double serverSum = 0;
        for (String metric : server) {
          serverSum += sum(api, metric, dims, minute);
        }
        assertThat(serverErrors).as(what).isEqualTo((long) serverSum);
        if (!webSocket) {
          var latency = new SimulatedAccount.Series(DemoAccount.REGION, api.id(), "Latency", dims);
          assertThat(fastest)
              .as(what)
              .isGreaterThanOrEqualTo(
                  (long) Math.floor(account.value(latency, "Minimum", minute, 60)));
          assertThat(slowest)
              .as(what)
              .isLessThanOrEqualTo((long) Math.ceil(account.value(latency, "Maximum", minute, 60)));
        }
      }
    }
    assertThat(errorLines).as("bursts and baseline errors show in the logs").isGreaterThan(20);
  }

  private double sum(
      SimulatedAccount.Api api, String metric, java.util.Map<String, String> dims, long minute) {
    return account.value(
        new SimulatedAccount.Series(DemoAccount.REGION, api.id(), metric, dims), "Sum", minute, 60);
  }
}
