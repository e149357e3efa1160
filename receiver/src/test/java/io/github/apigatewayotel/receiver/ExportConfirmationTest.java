package io.github.apigatewayotel.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * With export confirmation, a datapoint counts as exported only when the backend took it: points of
 * failed exports leave later, with their CloudWatch timestamps, and the state directory never
 * records a period the backend did not get.
 */
class ExportConfirmationTest {

  @RegisterExtension final ReceiverHarness harness = ReceiverHarness.demo();

  private Map<String, Integer> exportedCounts() {
    Map<String, Integer> counts = new HashMap<>();
    for (ReceiverHarness.Point p : harness.points()) {
      counts.merge(ExactlyOnceTest.key(p), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void pointsOfFailedExportsLeaveWithTheNextCollectionOnce() {
    MetricExportConfirmations confirmations = MetricExportConfirmations.create();
    var exported =
        harness.export(
            harness
                .receiverBuilder()
                .lookback(Duration.ofMinutes(5))
                .exportConfirmations(confirmations)
                .build(),
            confirmations::wrap);
    harness.otlp.answerWith(503);
    PollSummary first = exported.pollAndExport(); // the backend refuses
    assertThat(first.pointsExported()).isPositive();
    harness.clock.advance(Duration.ofMinutes(1));
    exported.pollAndExport(); // still down: both polls' points wait
    assertThat(harness.points()).isEmpty();
    assertThat(harness.otlp.rejectedRequests()).isGreaterThanOrEqualTo(2);

    harness.otlp.answerWith(0); // accepting again
    exported.flush();
    Map<String, Integer> counts = exportedCounts();
    assertThat(counts.values()).allMatch(n -> n == 1);
    long firstPeriods = first.pointsExported();
    assertThat(counts).hasSizeGreaterThan((int) firstPeriods); // the second poll's new period too

    exported.flush(); // nothing left over
    assertThat(exportedCounts()).isEqualTo(counts);
  }

  /** A request with CloudWatch datapoints (not only the SDK's own metrics). */
  private static boolean holdsPoints(
      io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest request) {
    return request.getResourceMetricsList().stream()
        .flatMap(r -> r.getScopeMetricsList().stream())
        .flatMap(scope -> scope.getMetricsList().stream())
        .anyMatch(m -> m.getName().startsWith("aws.apigateway."));
  }

  /** The OTLP exporter's answer to HTTP 400, as the plugin's spi classifies it. */
  private static String rejectedFor400(Throwable failure) {
    return failure
                instanceof
                io.opentelemetry.exporter.internal.FailedExportException.HttpExportException http
            && http.failedWithResponse()
            && http.getResponse().getStatusCode() == 400
        ? "HTTP 400"
        : null;
  }

  @Test
  void pointsTheBackendRejectsForGoodAreGivenUpAfterFiveExportsAndTheNextPollsLeave(
      @TempDir Path state) {
    MetricExportConfirmations confirmations =
        MetricExportConfirmations.create(ExportConfirmationTest::rejectedFor400);
    var exported =
        harness.export(
            harness
                .receiverBuilder()
                .lookback(Duration.ofMinutes(5))
                .stateDirectory(state)
                .exportConfirmations(confirmations)
                .build(),
            confirmations::wrap);
    harness.otlp.rejectAsInvalid(
        request -> false, ExportConfirmationTest::holdsPoints); // a poison batch
    PollSummary first = exported.pollAndExport();
    assertThat(first.pointsExported()).isPositive();
    for (int round = 2; round <= 5; round++) {
      exported.flush(); // offered again, rejected again
    }
    assertThat(harness.otlp.rejectedRequests()).isEqualTo(5);
    exported.flush(); // given up: nothing is left to offer
    assertThat(harness.otlp.rejectedRequests()).isEqualTo(5);

    harness.otlp.rejectAsInvalid(request -> false, request -> false);
    harness.clock.advance(Duration.ofMinutes(1));
    PollSummary next = exported.pollAndExport();
    assertThat(next.pointsExported()).isPositive();
    assertThat(exportedCounts()).hasSize((int) next.pointsExported()); // only the next poll's
    exported.close();
    // Given up counts as done for the marks: a restart does not offer those periods again.
    harness.clock.advance(Duration.ofMinutes(1));
    var restarted =
        harness.export(
            harness
                .receiverBuilder()
                .lookback(Duration.ofMinutes(5))
                .stateDirectory(state)
                .build());
    assertThat(restarted.pollAndExport().pointsExported() * 5).isEqualTo(first.pointsExported());
  }

  @Test
  void withoutAClassifierRejectedPointsAreOfferedAgainUntilTheBackendTakesThem() {
    MetricExportConfirmations confirmations = MetricExportConfirmations.create();
    var exported =
        harness.export(
            harness
                .receiverBuilder()
                .lookback(Duration.ofMinutes(5))
                .exportConfirmations(confirmations)
                .build(),
            confirmations::wrap);
    harness.otlp.rejectAsInvalid(request -> false, ExportConfirmationTest::holdsPoints);
    PollSummary first = exported.pollAndExport();
    for (int round = 2; round <= 7; round++) {
      exported.flush();
    }
    assertThat(harness.otlp.rejectedRequests()).isEqualTo(7);
    harness.otlp.rejectAsInvalid(request -> false, request -> false);
    exported.flush();
    assertThat(exportedCounts()).hasSize((int) first.pointsExported());
  }

  @Test
  void aRestartAfterAFailedExportCollectsThosePeriodsAgainAndRepeatsNone(@TempDir Path state) {
    MetricExportConfirmations confirmations = MetricExportConfirmations.create();
    var first =
        harness.export(
            harness
                .receiverBuilder()
                .stateDirectory(state)
                .exportConfirmations(confirmations)
                .build(),
            confirmations::wrap);
    first.pollAndExport(); // exported
    int exportedBefore = harness.points().size();
    assertThat(exportedBefore).isPositive();
    harness.clock.advance(Duration.ofMinutes(2));
    harness.otlp.answerWith(503);
    PollSummary lost =
        first.pollAndExport(); // collected, refused by the backend, then the host dies
    assertThat(lost.pointsExported()).isPositive();
    first.close();
    assertThat(harness.points()).hasSize(exportedBefore);

    harness.otlp.answerWith(0); // accepting again
    MetricExportConfirmations again = MetricExportConfirmations.create();
    var second =
        harness.export(
            harness.receiverBuilder().stateDirectory(state).exportConfirmations(again).build(),
            again::wrap);
    PollSummary after = second.pollAndExport();
    assertThat(after.pointsExported()).isEqualTo(lost.pointsExported());
    Map<String, Integer> counts = exportedCounts();
    assertThat(counts.values()).allMatch(n -> n == 1);
    assertThat(counts).hasSize(exportedBefore + (int) lost.pointsExported());
  }

  @Test
  void pointsTheHostExportsAfterTheReceiverClosedStillCountOnRestart(@TempDir Path state) {
    MetricExportConfirmations confirmations = MetricExportConfirmations.create();
    var first =
        harness.export(
            harness
                .receiverBuilder()
                .stateDirectory(state)
                .exportConfirmations(confirmations)
                .build(),
            confirmations::wrap);
    PollSummary polled = first.receiver.pollOnce();
    assertThat(polled.pointsExported()).isPositive();
    first.close(); // as a host stops: the plugin first, then the SDK's final flush exports
    assertThat(harness.points()).hasSize((int) polled.pointsExported());

    MetricExportConfirmations again = MetricExportConfirmations.create();
    var second =
        harness.export(
            harness.receiverBuilder().stateDirectory(state).exportConfirmations(again).build(),
            again::wrap);
    assertThat(second.pollAndExport().pointsExported()).isZero();
  }

  @Test
  void pastTheBoundPointsOfALongOutageAreDroppedAndCountedNeverSilently() {
    InMemoryMetricReader own = InMemoryMetricReader.create();
    SdkMeterProvider ownProvider = SdkMeterProvider.builder().registerMetricReader(own).build();
    MetricExportConfirmations confirmations = MetricExportConfirmations.create();
    try {
      var exported =
          harness.export(
              harness
                  .receiverBuilder()
                  .lookback(Duration.ofMinutes(5))
                  .maxPendingPoints(1_000)
                  .meterProvider(ownProvider)
                  .exportConfirmations(confirmations)
                  .build(),
              confirmations::wrap);
      harness.otlp.answerWith(503);
      PollSummary polled = exported.pollAndExport();
      assertThat(polled.datapointsReceived()).isGreaterThan(1_000); // every one a new period
      assertThat(polled.pointsExported()).isEqualTo(1_000); // what the bound took
      harness.otlp.answerWith(0);
      exported.flush();
      // what the bound held left once, the rest was counted as dropped
      assertThat(exportedCounts())
          .hasSize(1_000)
          .allSatisfy((key, n) -> assertThat(n).isEqualTo(1));
      assertThat(counter(own, "apigateway_otel.receiver.datapoints.dropped"))
          .isEqualTo(polled.datapointsReceived() - 1_000);
      assertThat(counter(own, "apigateway_otel.receiver.datapoints.export_retried"))
          .isEqualTo(1_000);
    } finally {
      ownProvider.close();
    }
  }

  private static long counter(InMemoryMetricReader reader, String name) {
    return reader.collectAllMetrics().stream()
        .filter(metric -> metric.getName().equals(name))
        .flatMap(metric -> metric.getLongSumData().getPoints().stream())
        .mapToLong(point -> point.getValue())
        .sum();
  }

  @Test
  void withoutConfirmationAFailedExportLosesItsPoints() {
    var exported =
        harness.export(harness.receiverBuilder().lookback(Duration.ofMinutes(5)).build());
    harness.otlp.answerWith(503);
    exported.pollAndExport();
    harness.otlp.answerWith(0); // accepting again
    exported.flush();
    assertThat(harness.points()).isEmpty(); // what confirmation exists for
  }
}
