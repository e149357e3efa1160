package io.github.apigatewayotel.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Data that reaches CloudWatch after the delay (ingestion lag, a sparse series) is still read while
 * its period is inside the lookback, exactly once; the steady state still asks for one period per
 * query in the minimum number of calls.
 */
class LateDataTest {

  private static final Instant NO_DATA_YET = Instant.parse("2100-01-01T00:00:00Z");

  @RegisterExtension final ReceiverHarness harness = ReceiverHarness.demo();

  @Test
  void periodsThatWereEmptyWhenReadAreReadAgainWhileInTheLookback() {
    var exported = harness.export(harness.receiverBuilder().detailedMetrics(false).build());
    harness.account.setDataSince(NO_DATA_YET); // nothing has reached CloudWatch yet
    PollSummary empty = exported.pollAndExport();
    assertThat(empty.pointsExported()).isZero();
    assertThat(empty.getMetricDataCalls()).isPositive();

    harness.account.setDataSince(null); // the late data arrives: every period of the lookback
    harness.clock.advance(Duration.ofMinutes(1));
    PollSummary late = exported.pollAndExport();

    // the reference: a receiver that saw the data on time, same clock, same lookback (10 periods)
    try (ReceiverHarness reference = ReceiverHarness.demo()) {
      reference.clock.advance(Duration.ofMinutes(1));
      var onTime = reference.export(reference.receiverBuilder().detailedMetrics(false).build());
      PollSummary expected = onTime.pollAndExport();
      assertThat(late.pointsExported()).isEqualTo(expected.pointsExported());
      assertThat(keys(harness)).isEqualTo(keys(reference));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    assertThat(late.getMetricDataCalls()).isEqualTo(minimumCalls(late));

    harness.clock.advance(Duration.ofMinutes(1));
    PollSummary next = exported.pollAndExport();
    assertThat(next.pointsExported() * 10).isEqualTo(late.pointsExported()); // one new period
    assertThat(next.datapointsReceived())
        .isEqualTo(next.pointsExported()); // asked for nothing older
    assertThat(next.getMetricDataCalls()).isEqualTo(minimumCalls(next));
    Set<String> seen = new HashSet<>();
    for (ReceiverHarness.Point p : harness.points()) {
      assertThat(seen.add(ExactlyOnceTest.key(p)))
          .as("exported twice: %s", ExactlyOnceTest.key(p))
          .isTrue();
    }
  }

  @Test
  void theSteadyStateAsksEachQueryForOnePeriodInTheMinimumCalls() {
    var exported = harness.export(harness.receiverBuilder().detailedMetrics(false).build());
    PollSummary first = exported.pollAndExport();
    harness.clock.advance(Duration.ofMinutes(1));
    PollSummary steady = exported.pollAndExport();
    assertThat(steady.pointsExported() * 10).isEqualTo(first.pointsExported());
    assertThat(steady.datapointsReceived()).isEqualTo(steady.pointsExported());
    assertThat(steady.getMetricDataCalls()).isEqualTo(minimumCalls(steady));
  }

  private static int minimumCalls(PollSummary summary) {
    return (summary.queries() + 499) / 500;
  }

  private static Set<String> keys(ReceiverHarness harness) {
    Set<String> keys = new HashSet<>();
    for (ReceiverHarness.Point p : harness.points()) {
      keys.add(ExactlyOnceTest.key(p));
    }
    return keys;
  }
}
