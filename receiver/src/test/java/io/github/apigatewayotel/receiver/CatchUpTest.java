package io.github.apigatewayotel.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A receiver down for longer than its lookback catches up on the periods it missed (CloudWatch
 * keeps them), up to 200 periods, the most one GetMetricData call returns for 500 queries; what
 * lies beyond is reported, never silently skipped.
 */
class CatchUpTest {

  @RegisterExtension final ReceiverHarness harness = ReceiverHarness.demo();

  @Test
  void aRestartAfterAnHourDownExportsEveryMissedPeriodOnceInTheMinimumCalls(@TempDir Path state) {
    var first =
        harness.export(
            harness.receiverBuilder().detailedMetrics(false).stateDirectory(state).build());
    PollSummary before = first.pollAndExport(); // lookback 10 minutes: 10 periods
    first.close();

    harness.clock.advance(Duration.ofMinutes(60));
    var second =
        harness.export(
            harness.receiverBuilder().detailedMetrics(false).stateDirectory(state).build());
    PollSummary after = second.pollAndExport();
    assertThat(after.pointsExported() * 10).isEqualTo(before.pointsExported() * 60);
    assertThat(after.getMetricDataCalls())
        .isEqualTo(after.queries() / 500 + (after.queries() % 500 == 0 ? 0 : 1));
    assertThat(after.problems()).isEmpty();
    Set<String> keys = new HashSet<>();
    for (ReceiverHarness.Point p : harness.points()) {
      assertThat(keys.add(ExactlyOnceTest.key(p)))
          .as("exported twice: %s", ExactlyOnceTest.key(p))
          .isTrue();
    }
  }

  @Test
  void periodsBeyondTheCatchUpReachAreReportedOnce(@TempDir Path state) {
    harness.account.addGeneratedApis(
        ReceiverHarness.REGION, 12, 2, 0); // over 500 queries: several calls
    var first =
        harness.export(
            harness.receiverBuilder().detailedMetrics(false).stateDirectory(state).build());
    PollSummary before = first.pollAndExport();
    first.close();

    harness.clock.advance(Duration.ofMinutes(250));
    var second =
        harness.export(
            harness.receiverBuilder().detailedMetrics(false).stateDirectory(state).build());
    long billedBefore = harness.cloudWatch.metricsRequested();
    long pagesBefore = harness.cloudWatch.nextTokenCalls();
    PollSummary after = second.pollAndExport();
    assertThat(after.pointsExported() * 10).isEqualTo(before.pointsExported() * 200);
    // 200 periods of 500 queries fit one answer: no NextToken page, so no query billed twice
    assertThat(after.queries()).isGreaterThan(500);
    assertThat(after.getMetricDataCalls()).isEqualTo((after.queries() + 499) / 500);
    assertThat(harness.cloudWatch.nextTokenCalls() - pagesBefore).isZero();
    assertThat(harness.cloudWatch.metricsRequested() - billedBefore).isEqualTo(after.queries());
    assertThat(after.problems()).anySatisfy(issue -> assertThat(issue).contains("50 period(s)"));
    harness.clock.advance(Duration.ofMinutes(1));
    assertThat(second.pollAndExport().problems()).isEmpty(); // counted once, not every poll
  }
}
