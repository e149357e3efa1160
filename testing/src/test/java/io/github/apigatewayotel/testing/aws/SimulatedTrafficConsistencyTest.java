package io.github.apigatewayotel.testing.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.apigatewayotel.testing.aws.SimulatedAccount.Api;
import io.github.apigatewayotel.testing.aws.SimulatedAccount.ApiType;
import io.github.apigatewayotel.testing.aws.SimulatedAccount.Series;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The simulated account's CloudWatch values tell one story: routes add up to stages and stages to
 * APIs, statistics of one series agree with each other, and the traffic has a daily cycle, error
 * bursts and slow routes.
 */
class SimulatedTrafficConsistencyTest {

  private static final String REGION = "eu-west-1";
  private static final long AFTERNOON = Instant.parse("2026-11-24T15:00:00Z").getEpochSecond();
  private static final long NIGHT = Instant.parse("2026-11-24T04:00:00Z").getEpochSecond();
  private static final List<String> LATENCY_ORDER =
      List.of("Minimum", "p10", "p50", "p75", "p90", "p95", "p99", "p99.9", "Maximum");

  private final SimulatedAccount account =
      SimulatedAccount.demo("123456789012", REGION, 42).addGeneratedApis(REGION, 6, 2, 3);

  @Test
  void stageSeriesAreTheSumOfTheirRoutesAndApiSeriesTheSumOfTheirStages() {
    int checked = 0;
    for (Series series : account.series(REGION)) {
      if (series.metricName().contains("Latency") || series.dimensions().containsKey("Stage")) {
        continue;
      }
      Api api = account.api(series.apiId());
      for (long t = AFTERNOON; t < AFTERNOON + 5 * 60; t += 60) {
        double apiSum = account.value(series, "Sum", t, 60);
        double apiSamples = account.value(series, "SampleCount", t, 60);
        double stagesSum = 0;
        double stagesSamples = 0;
        for (Series stage : childrenOf(series, 2)) {
          double stageSum = account.value(stage, "Sum", t, 60);
          stagesSum += stageSum;
          stagesSamples += account.value(stage, "SampleCount", t, 60);
          List<Series> routes = childrenOf(stage, 3);
          assertThat(routes).as("route series of %s", stage).isNotEmpty();
          double routesSum = 0;
          for (Series route : routes) {
            routesSum += account.value(route, "Sum", t, 60);
          }
          assertThat(routesSum).as("%s at %d", stage, t).isEqualTo(stageSum);
          checked++;
        }
        assertThat(stagesSum).as("%s %s at %d", api.type(), series, t).isEqualTo(apiSum);
        assertThat(stagesSamples).as("%s at %d", series, t).isEqualTo(apiSamples);
      }
    }
    assertThat(checked).isGreaterThan(100);
  }

  @Test
  void errorsAndCacheCountsStayWithinTheRequestsAndAveragesAreRates() {
    for (Series series : account.series(REGION)) {
      Api api = account.api(series.apiId());
      String requestsMetric = api.type() == ApiType.WEBSOCKET ? "MessageCount" : "Count";
      if (series.metricName().contains("Latency")
          || series.metricName().equals("DataProcessed")
          || series.metricName().equals("ConnectCount")) {
        continue;
      }
      Series requests =
          new Series(series.region(), series.apiId(), requestsMetric, series.dimensions());
      for (long t = AFTERNOON; t < AFTERNOON + 3 * 60; t += 60) {
        double count = account.value(requests, "Sum", t, 60);
        double sum = account.value(series, "Sum", t, 60);
        double samples = account.value(series, "SampleCount", t, 60);
        assertThat(count).as("requests of %s", requests).isPositive();
        assertThat(samples).as("%s: one sample per request", series).isEqualTo(count);
        assertThat(sum).as("%s", series).isBetween(0.0, count);
        assertThat(account.value(series, "Average", t, 60))
            .as("%s", series)
            .isCloseTo(sum / samples, within(1e-12));
        assertThat(account.value(series, "Maximum", t, 60)).isEqualTo(sum > 0 ? 1.0 : 0.0);
        assertThat(account.value(series, "Minimum", t, 60)).isEqualTo(sum == samples ? 1.0 : 0.0);
      }
      if (api.type() == ApiType.REST && series.metricName().equals("CacheHitCount")) {
        Series misses =
            new Series(series.region(), series.apiId(), "CacheMissCount", series.dimensions());
        assertThat(
                account.value(series, "Sum", AFTERNOON, 60)
                    + account.value(misses, "Sum", AFTERNOON, 60))
            .isEqualTo(account.value(requests, "Sum", AFTERNOON, 60));
      }
    }
  }

  @Test
  void latencyStatisticsAreOrderedAndIntegrationLatencyStaysBelowLatency() {
    int checked = 0;
    for (Series series : account.series(REGION)) {
      if (!series.metricName().equals("IntegrationLatency")) {
        continue;
      }
      Series latency = new Series(series.region(), series.apiId(), "Latency", series.dimensions());
      boolean hasLatency = account.api(series.apiId()).type() != ApiType.WEBSOCKET;
      for (long t = AFTERNOON; t < AFTERNOON + 10 * 60; t += 60) {
        for (Series s : hasLatency ? List.of(series, latency) : List.of(series)) {
          double previous = Double.NEGATIVE_INFINITY;
          for (String stat : LATENCY_ORDER) {
            double v = account.value(s, stat, t, 60);
            assertThat(v)
                .as("%s %s at %d", s, stat, t)
                .isGreaterThanOrEqualTo(previous)
                .isPositive();
            previous = v;
          }
          assertThat(account.value(s, "Average", t, 60))
              .isBetween(account.value(s, "Minimum", t, 60), account.value(s, "Maximum", t, 60));
          assertThat(account.value(s, "Sum", t, 60) / account.value(s, "SampleCount", t, 60))
              .isCloseTo(account.value(s, "Average", t, 60), within(1e-6));
        }
        if (hasLatency) {
          for (String stat : List.of("Minimum", "Average", "p50", "p90", "p99", "Maximum")) {
            assertThat(account.value(series, stat, t, 60))
                .as("%s %s", series, stat)
                .isLessThan(account.value(latency, stat, t, 60));
          }
        }
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(100);
  }

  @Test
  void slowRoutesAreSlowAndOthersFast() {
    Series charge = routeSeries("z0y1x2w3v4", "Latency", "v1", "POST", "/charge");
    Series pets = routeSeries("a1b2c3d4e5", "Latency", "prod", "GET", "/pets");
    for (long t = AFTERNOON; t < AFTERNOON + 30 * 60; t += 60) {
      assertThat(account.value(charge, "Minimum", t, 60)).isGreaterThanOrEqualTo(800);
      assertThat(account.value(charge, "p50", t, 60)).isGreaterThan(1500);
      assertThat(account.value(pets, "p50", t, 60)).isLessThan(200);
    }
  }

  @Test
  void loadFollowsTheDay() {
    Series petsProd =
        new Series(REGION, "a1b2c3d4e5", "Count", Map.of("ApiName", "pets-api", "Stage", "prod"));
    double afternoon = account.value(petsProd, "Sum", AFTERNOON + 3600, 3600);
    double night = account.value(petsProd, "Sum", NIGHT, 3600);
    double hourlyMinutes = 0;
    for (long t = NIGHT; t < NIGHT + 3600; t += 60) {
      hourlyMinutes += account.value(petsProd, "Sum", t, 60);
    }
    assertThat(night).as("an hour is the sum of its minutes").isEqualTo(hourlyMinutes);
    assertThat(afternoon / night).as("peak / trough").isGreaterThan(2.5);
  }

  @Test
  void someStageMinutesBurstWithErrorsWhileMostStayQuiet() {
    int burstMinutes = 0;
    int quietMinutes = 0;
    List<Series> stageCounts = new ArrayList<>();
    for (Series series : account.series(REGION)) {
      if (series.metricName().equals("Count")
          && series.dimensions().size() == 2
          && account.api(series.apiId()).type() == ApiType.REST) {
        stageCounts.add(series);
      }
    }
    for (Series count : stageCounts) {
      Series errors4xx = new Series(REGION, count.apiId(), "4XXError", count.dimensions());
      Series errors5xx = new Series(REGION, count.apiId(), "5XXError", count.dimensions());
      for (long t = AFTERNOON; t < AFTERNOON + 60 * 60; t += 60) {
        double rate =
            (account.value(errors4xx, "Sum", t, 60) + account.value(errors5xx, "Sum", t, 60))
                / account.value(count, "Sum", t, 60);
        if (rate > 0.08) {
          burstMinutes++;
        } else {
          quietMinutes++;
        }
      }
    }
    assertThat(burstMinutes).isGreaterThan(5);
    assertThat(quietMinutes).isGreaterThan(burstMinutes * 3);
  }

  @Test
  void theLogOfARouteMinuteHasExactlyItsRequestsAndErrorsWithBurstFailuresInTheBurstSeconds() {
    TrafficShape traffic = account.traffic();
    int bursts = 0;
    for (Api api : account.apis(REGION)) {
      for (String stage : api.stages()) {
        for (String route : api.routes()) {
          for (long t = AFTERNOON; t < AFTERNOON + 20 * 60; t += 60) {
            RouteMinute minute = traffic.routeMinute(api, stage, route, t);
            int perSecond = 0;
            for (int s = 0; s < 60; s++) {
              perSecond += minute.requestsInSecond(s);
            }
            assertThat(perSecond).isEqualTo(minute.requests());
            int client = 0;
            int server = 0;
            int inBurstWindow = 0;
            for (int i = 0; i < minute.requests(); i++) {
              int second = minute.secondOf(i);
              assertThat(i)
                  .isBetween(
                      minute.firstIndexOfSecond(second), minute.firstIndexOfSecond(second + 1) - 1);
              RouteMinute.Outcome outcome = minute.outcome(i);
              client += outcome == RouteMinute.Outcome.CLIENT_ERROR ? 1 : 0;
              server += outcome == RouteMinute.Outcome.SERVER_ERROR ? 1 : 0;
              boolean burstSecond =
                  second >= TrafficShape.BURST_FIRST_SECOND
                      && second <= TrafficShape.BURST_LAST_SECOND;
              if (burstSecond && outcome != RouteMinute.Outcome.OK) {
                inBurstWindow++;
              }
            }
            assertThat(client)
                .as("%s %s %s", api.id(), stage, route)
                .isEqualTo(minute.clientErrors());
            assertThat(server).isEqualTo(minute.serverErrors());
            assertThat(inBurstWindow).isGreaterThanOrEqualTo(minute.burstFailures());
            bursts += minute.burstFailures() > 0 ? 1 : 0;
          }
        }
      }
    }
    assertThat(bursts).isGreaterThan(10);
  }

  @Test
  void theSameSeedGivesTheSameValuesAndAnotherSeedOthers() {
    SimulatedAccount same =
        SimulatedAccount.demo("123456789012", REGION, 42).addGeneratedApis(REGION, 6, 2, 3);
    SimulatedAccount other =
        SimulatedAccount.demo("123456789012", REGION, 43).addGeneratedApis(REGION, 6, 2, 3);
    int differences = 0;
    for (Series series : account.series(REGION)) {
      String stat = series.metricName().contains("Latency") ? "p99" : "Sum";
      assertThat(same.value(series, stat, AFTERNOON, 60))
          .isEqualTo(account.value(series, stat, AFTERNOON, 60));
      differences +=
          other.value(series, stat, AFTERNOON, 60) != account.value(series, stat, AFTERNOON, 60)
              ? 1
              : 0;
    }
    assertThat(differences).isGreaterThan(account.series(REGION).size() / 4);
  }

  /** The series one level below {@code parent}: its stages (2 dimensions) or routes (3 or more). */
  private List<Series> childrenOf(Series parent, int level) {
    List<Series> children = new ArrayList<>();
    for (Series s : account.series(REGION)) {
      boolean deeper = level == 2 ? s.dimensions().size() == 2 : s.dimensions().size() >= 3;
      if (s.apiId().equals(parent.apiId())
          && s.metricName().equals(parent.metricName())
          && deeper
          && s.dimensions().entrySet().containsAll(parent.dimensions().entrySet())) {
        children.add(s);
      }
    }
    return children;
  }

  private Series routeSeries(
      String apiId, String metric, String stage, String method, String resource) {
    Api api = account.api(apiId);
    return new Series(
        REGION,
        apiId,
        metric,
        Map.of(
            "ApiName",
            api.cloudWatchName(),
            "Stage",
            stage,
            "Method",
            method,
            "Resource",
            resource));
  }
}
