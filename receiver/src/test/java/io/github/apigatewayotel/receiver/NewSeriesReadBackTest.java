package io.github.apigatewayotel.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import io.github.apigatewayotel.testing.aws.SimulatedAccount.ApiType;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A series that a rediscovery lists for the first time is read back to the previous discovery
 * (minus ListMetrics' listing lag), not only over the lookback: with the defaults (15 min
 * discovery, 10 min lookback) an API created just after a discovery keeps its first minutes.
 */
class NewSeriesReadBackTest {

  private static final String NEW_API = "newapi0001";
  private static final String STREAM = "aws.apigateway.latency";

  @RegisterExtension final ReceiverHarness harness = ReceiverHarness.demo();

  @Test
  void anApiCreatedBetweenDiscoveriesKeepsItsFirstMinutes() {
    harness.account.setListingLag(Duration.ofMinutes(15)); // AWS: "allow up to 15 minutes"
    var exported =
        harness.export(harness.receiverBuilder().detailedMetrics(false).build()); // defaults
    exported.pollAndExport(); // the first discovery: the new API does not exist yet
    harness.clock.advance(Duration.ofMinutes(5));
    Instant created = harness.clock.instant();
    harness.account.addApi(
        new SimulatedAccount.Api(
            NEW_API,
            "new-api",
            ApiType.HTTP,
            ReceiverHarness.REGION,
            List.of("prod"),
            List.of("GET /items"),
            Map.of(),
            Map.of(),
            false,
            true,
            created));
    harness.account.setDataSince(created); // no data before the API existed
    int polls = 0;
    while (newApiPeriods().isEmpty() && polls++ < 40) {
      harness.clock.advance(Duration.ofMinutes(1));
      exported.pollAndExport();
    }
    // not listed yet at the rediscovery 15 min after the first one; found by the next, 30 min after
    assertThat(polls).as("polls until the API was found").isEqualTo(25);

    Set<Long> periods = newApiPeriods();
    long first = Math.floorDiv(created.getEpochSecond(), 60) * 60 + 60; // its first whole period
    long last = periods.stream().mapToLong(Long::longValue).max().orElseThrow();
    Set<Long> expected = new TreeSet<>();
    for (long p = first; p <= last; p += 60) {
      expected.add(p);
    }
    assertThat(new TreeSet<>(periods))
        .as("every period since its creation at %s", created)
        .isEqualTo(expected);

    harness.clock.advance(Duration.ofMinutes(1));
    exported.pollAndExport(); // read back once: from now on, one new period a poll
    assertThat(newApiPeriods()).hasSize(periods.size() + 1);
    Set<String> seen = new HashSet<>();
    for (ReceiverHarness.Point p : harness.points()) {
      assertThat(seen.add(ExactlyOnceTest.key(p)))
          .as("exported twice: %s", ExactlyOnceTest.key(p))
          .isTrue();
    }
  }

  @Test
  void anApiMissingFromOneInventoryListingIsNeitherRepeatedNorLost() {
    // left out of GetApis at the discovery at 15 min, listed again at 30 min
    missingFromListings(harness.receiverBuilder(), 14, 16, 31);
    assertEveryPeriodOnceOver(30);
  }

  @Test
  void anApiMissingFromTwoListingsIsNeitherRepeatedNorLost() {
    missingFromListings(harness.receiverBuilder(), 14, 31, 46); // out at 15 and 30 min, back at 45
    assertEveryPeriodOnceOver(45);
  }

  @Test
  void anApiMissingFromThreeListingsWithAnHourOfLookbackIsNeitherRepeatedNorLost() {
    // its mark must outlive the read-back of new series while a one-hour lookback still reaches it
    missingFromListings(harness.receiverBuilder().lookback(Duration.ofMinutes(60)), 14, 46, 61);
    assertEveryPeriodOnceOver(60);
  }

  /**
   * Polls every minute (discovery every 15, the default) with the new API left out of API Gateway's
   * listings from {@code unlistedAt} to {@code listedAgainAt} (minutes).
   */
  private void missingFromListings(
      ApiGatewayMetricsReceiverBuilder builder, int unlistedAt, int listedAgainAt, int lastMinute) {
    harness.account.addApi(
        new SimulatedAccount.Api(
            NEW_API,
            "new-api",
            ApiType.HTTP,
            ReceiverHarness.REGION,
            List.of("prod"),
            List.of("GET /items"),
            Map.of(),
            Map.of(),
            false,
            true,
            ReceiverHarness.START.minusSeconds(86_400)));
    var exported = harness.export(builder.detailedMetrics(false).build());
    exported.pollAndExport();
    for (int minute = 1; minute <= lastMinute; minute++) {
      harness.clock.advance(Duration.ofMinutes(1));
      if (minute == unlistedAt) {
        harness.account.setUnlistedApis(Set.of(NEW_API));
      } else if (minute == listedAgainAt) {
        harness.account.setUnlistedApis(Set.of());
      }
      exported.pollAndExport();
    }
  }

  /** The new API's periods have no gap and span at least {@code minutes}; no point left twice. */
  private void assertEveryPeriodOnceOver(int minutes) {
    TreeSet<Long> periods = new TreeSet<>(newApiPeriods());
    Set<Long> contiguous = new TreeSet<>();
    for (long p = periods.first(); p <= periods.last(); p += 60) {
      contiguous.add(p);
    }
    assertThat(periods).as("no period missing while it was out of the plan").isEqualTo(contiguous);
    assertThat(periods.last() - periods.first()).isGreaterThanOrEqualTo(minutes * 60L);
    Set<String> seen = new HashSet<>();
    for (ReceiverHarness.Point p : harness.points()) {
      assertThat(seen.add(ExactlyOnceTest.key(p)))
          .as("exported twice: %s", ExactlyOnceTest.key(p))
          .isTrue();
    }
  }

  /** Period starts of one of the new API's streams: its stage's average latency (a gauge). */
  private Set<Long> newApiPeriods() {
    Set<Long> periods = new HashSet<>();
    for (ReceiverHarness.Point p : harness.points()) {
      if (NEW_API.equals(p.attributes().get("aws.apigateway.api.id"))
          && "prod".equals(p.attributes().get("aws.apigateway.stage"))
          && !p.attributes().containsKey("http.route")
          && p.name().equals(STREAM)) {
        periods.add(p.point().getTimeUnixNano() / 1_000_000_000L);
      }
    }
    return periods;
  }
}
