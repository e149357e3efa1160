package io.github.apigatewayotel.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.receiver.ApiGatewayMetricsReceiver.GetMetricDataTransport;
import io.github.apigatewayotel.testing.aws.AwsRequest;
import io.github.apigatewayotel.testing.aws.AwsResponse;
import io.github.apigatewayotel.testing.aws.FakeAwsServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The receiver end to end with each GetMetricData transport: the lean default and the AWS SDK's
 * client export the same points, and an answer the lean transport cannot read fails only its batch,
 * which the next poll fetches again.
 */
class GetMetricDataTransportTest {

  private static boolean isGetMetricData(AwsRequest r) {
    return "GetMetricData".equals(FakeAwsServer.operationOf(r));
  }

  @Test
  void leanAndSdkTransportsExportTheSamePoints() throws Exception {
    List<String> viaLean = exportedOverPolls(GetMetricDataTransport.LEAN);
    List<String> viaSdk = exportedOverPolls(GetMetricDataTransport.SDK);
    assertThat(viaLean).isNotEmpty().isEqualTo(viaSdk);
  }

  /** Every point of three polls (with PartialData pages), as sorted text: metric, attributes, times, value. */
  private static List<String> exportedOverPolls(GetMetricDataTransport transport) throws Exception {
    try (ReceiverHarness harness = ReceiverHarness.demo()) {
      harness.cloudWatch.setDatapointsPerCall(700);
      var exported = harness.export(harness.receiverBuilder().getMetricDataTransport(transport).build());
      for (int poll = 0; poll < 3; poll++) {
        PollSummary summary = exported.pollAndExport();
        assertThat(summary.failedCalls()).isZero();
        harness.clock.advance(Duration.ofMinutes(1));
      }
      List<String> points = new ArrayList<>();
      harness.points().forEach(p -> points.add(p.name() + " " + p.attributes() + " " + p.point().getStartTimeUnixNano()
          + " " + p.point().getTimeUnixNano() + " " + p.point().getAsDouble()));
      points.sort(null);
      return points;
    }
  }

  @Test
  void anUnreadableAnswerFailsItsBatchAndTheNextPollCatchesUp() throws Exception {
    long expected;
    try (ReceiverHarness reference = ReceiverHarness.demo()) {
      expected = reference.export(reference.receiverBuilder().build()).pollAndExport().pointsExported();
    }
    try (ReceiverHarness harness = ReceiverHarness.demo()) {
      AtomicInteger answered = new AtomicInteger();
      harness.aws.intercept(r -> isGetMetricData(r) && answered.getAndIncrement() == 0
          ? Optional.of(AwsResponse.xml(200, "<GetMetricDataResponse><GetMetricDataResult><MetricDataResults><member>"
              + "<Id>q0</Id><Timestamps><member>2026-11-24T09:5"))
          : Optional.empty());
      var exported = harness.export(harness.receiverBuilder().build());
      PollSummary broken = exported.pollAndExport();
      assertThat(broken.failedCalls()).isEqualTo(1); // not retried: it would read no better
      assertThat(broken.pointsExported()).isPositive().isLessThan(expected);

      harness.aws.clearInterceptors();
      PollSummary recovered = exported.pollAndExport();
      assertThat(recovered.failedCalls()).isZero();
      assertThat(broken.pointsExported() + recovered.pointsExported()).isEqualTo(expected);
      Set<String> keys = new HashSet<>();
      harness.points().forEach(p -> assertThat(keys.add(ExactlyOnceTest.key(p))).isTrue());
    }
  }
}
