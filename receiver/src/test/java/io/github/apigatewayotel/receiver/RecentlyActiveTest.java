package io.github.apigatewayotel.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With the defaults, discovery lists only series with datapoints in the past three hours
 * (ListMetrics {@code RecentlyActive=PT3H}), so an API that went quiet stops costing metric
 * requests three hours later; when it serves requests again, ListMetrics shows it only up to 15
 * minutes late, and the read-back of new series still exports each of its periods, none twice.
 * Driven as the scheduler drives the receiver (a tick a minute, each query every 5) around the
 * changes, on the simulated clock.
 */
class RecentlyActiveTest {

  private static final String QUIET_API = "q1w2e3r4t5"; // inventory-http: HTTP, one stage
  private static final String STAGE_ARN =
      "arn:aws:apigateway:eu-west-1::/apis/q1w2e3r4t5/stages/$default";
  private static final String STREAM = "aws.apigateway.latency";

  @RegisterExtension final ReceiverHarness harness = ReceiverHarness.demo();

  @BeforeEach
  void setUp() throws Exception {
    harness.account.setRecentlyActiveLag(Duration.ofMinutes(15)); // AWS: "allow up to 15 minutes"
  }

  @Test
  void anApiBackAfterThreeIdleHoursAndTenMinutesGetsEveryPeriodOnce() {
    quietFor(Duration.ofMinutes(190));
  }

  @Test
  void anApiBackAfterFourIdleHoursGetsEveryPeriodOnce() {
    quietFor(Duration.ofHours(4));
  }

  @Test
  void withRecentlyActiveOffAQuietApiIsQueriedAllAlong() {
    var exported =
        harness.export(
            harness.receiverBuilder().detailedMetrics(false).recentlyActiveOnly(false).build());
    Instant quietFrom = ReceiverHarness.START.plus(Duration.ofMinutes(30));
    harness.account.setIdle(QUIET_API, quietFrom, quietFrom.plus(Duration.ofHours(4)));
    exported.receiver.pollNextSlice();
    int before = exported.receiver.queriesPerPoll();
    for (int poll = 0; poll < 48; poll++) { // four hours of whole polls, 5 minutes apart
      harness.clock.advance(Duration.ofMinutes(5));
      exported.receiver.pollOnce();
    }
    assertThat(exported.receiver.queriesPerPoll()).isEqualTo(before);
  }

  /**
   * The quiet API serves nothing for {@code quiet}, from 30 minutes into the run, and then again.
   */
  private void quietFor(Duration quiet) {
    var exported =
        harness.export(harness.receiverBuilder().detailedMetrics(false).build()); // defaults
    Instant quietFrom = ReceiverHarness.START.plus(Duration.ofMinutes(30));
    Instant back = quietFrom.plus(quiet);
    harness.account.setIdle(QUIET_API, quietFrom, back);
    exported.receiver.pollNextSlice();
    int everySeries = exported.receiver.queriesPerPoll();
    assertThat(everySeries).isPositive();

    // ticks a minute apart around each change; in between nothing changes for hours but the clock,
    // so whole polls 5 minutes apart stand for the ticks of each interval
    tick(exported, quietFrom.plus(Duration.ofMinutes(10)));
    polls(exported, quietFrom.plus(Duration.ofMinutes(170)));
    tick(exported, quietFrom.plus(Duration.ofMinutes(3 * 60 + 20)));
    int withoutQuietApi = exported.receiver.queriesPerPoll();
    assertThat(withoutQuietApi)
        .as("its series are no longer queried, three hours after its last datapoint")
        .isLessThan(everySeries);
    assertThat(exported.receiver.costEstimates().get(0).queriesPerPoll())
        .isEqualTo(withoutQuietApi);

    polls(exported, back.minus(Duration.ofMinutes(10)));
    tick(exported, back.plus(Duration.ofMinutes(45)));
    assertThat(exported.receiver.queriesPerPoll()).as("listed again").isEqualTo(everySeries);

    // every period with data up to the last one every slice has read, each once
    Instant readByAll = harness.clock.instant().minus(Duration.ofMinutes(3 + 5));
    Set<Long> expected = new TreeSet<>();
    long firstPeriod = periods().stream().mapToLong(Long::longValue).min().orElseThrow();
    for (long p = firstPeriod; p + 60 <= readByAll.getEpochSecond(); p += 60) {
      if (p < quietFrom.getEpochSecond() || p >= back.getEpochSecond()) {
        expected.add(p);
      }
    }
    Set<Long> exportedPeriods = new TreeSet<>(periods());
    exportedPeriods.removeIf(p -> p + 60 > readByAll.getEpochSecond());
    assertThat(exportedPeriods).as("quiet from %s to %s", quietFrom, back).isEqualTo(expected);
    assertThat(exportedPeriods).anyMatch(p -> p >= back.getEpochSecond());
    Set<String> seen = new HashSet<>();
    for (ReceiverHarness.Point p : harness.points()) {
      assertThat(seen.add(ExactlyOnceTest.key(p)))
          .as("exported twice: %s", ExactlyOnceTest.key(p))
          .isTrue();
    }
  }

  /** Ticks a minute at a time, as the scheduler does at the defaults, until {@code until}. */
  private void tick(ReceiverHarness.Exported exported, Instant until) {
    while (harness.clock.instant().isBefore(until)) {
      harness.clock.advance(Duration.ofMinutes(1));
      exported.receiver.pollNextSlice();
    }
    exported.flush();
  }

  /** Whole polls (every slice) 5 minutes apart until {@code until}. */
  private void polls(ReceiverHarness.Exported exported, Instant until) {
    while (harness.clock.instant().isBefore(until)) {
      harness.clock.advance(Duration.ofMinutes(5));
      exported.receiver.pollOnce();
    }
    exported.flush();
  }

  private Set<Long> periods() {
    return ExactlyOnceTest.periodsOf(harness.points(), STREAM, STAGE_ARN);
  }
}
