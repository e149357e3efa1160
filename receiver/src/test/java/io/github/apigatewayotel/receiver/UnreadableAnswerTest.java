package io.github.apigatewayotel.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.testing.aws.AwsRequest;
import io.github.apigatewayotel.testing.aws.AwsResponse;
import io.github.apigatewayotel.testing.aws.FakeAwsServer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The receiver end to end when CloudWatch's answer cannot be read, here a CBOR body cut short (as
 * by a proxy): the SDK reports it as an I/O failure, which is retried as the SDK's standard
 * strategy would; an answer that stays unreadable fails only its batch, and the next poll fetches
 * it again, so nothing is lost or exported twice.
 */
class UnreadableAnswerTest {

  /** {@link ReceiverHarness#receiverBuilder()}'s attempts per call. */
  private static final int ATTEMPTS = 4;

  private static boolean isGetMetricData(AwsRequest r) {
    return "GetMetricData".equals(FakeAwsServer.operationOf(r));
  }

  /** The real answer, in the request's protocol, cut in half. */
  private static AwsResponse cut(ReceiverHarness harness, AwsRequest request) {
    AwsResponse real = harness.cloudWatch.handle(request);
    return new AwsResponse(
        200,
        real.contentType(),
        Arrays.copyOf(real.body(), real.body().length / 2),
        real.headers());
  }

  private static long pointsOfOnePoll() throws Exception {
    try (ReceiverHarness reference = ReceiverHarness.demo()) {
      return reference.export(reference.receiverBuilder().build()).pollAndExport().pointsExported();
    }
  }

  @Test
  void aCutAnswerIsRetriedAndNothingIsLost() throws Exception {
    long expected = pointsOfOnePoll();
    try (ReceiverHarness harness = ReceiverHarness.demo()) {
      AtomicInteger answered = new AtomicInteger();
      harness.aws.intercept(
          r ->
              isGetMetricData(r) && answered.getAndIncrement() == 0
                  ? Optional.of(cut(harness, r))
                  : Optional.empty());
      var exported = harness.export(harness.receiverBuilder().build());
      PollSummary summary = exported.pollAndExport();
      assertThat(summary.failedCalls()).isZero();
      assertThat(summary.pointsExported()).isPositive().isEqualTo(expected);
      assertThat(harness.aws.requestCount("GetMetricData"))
          .isEqualTo(exported.receiver.getMetricDataCallsPerPoll() + 1L);
    }
  }

  @Test
  void anAnswerThatStaysUnreadableFailsItsBatchAndTheNextPollCatchesUp() throws Exception {
    long expected = pointsOfOnePoll();
    try (ReceiverHarness harness = ReceiverHarness.demo()) {
      AtomicInteger answered = new AtomicInteger();
      // one batch at a time: the first batch's every attempt is cut
      harness.aws.intercept(
          r ->
              isGetMetricData(r) && answered.getAndIncrement() < ATTEMPTS
                  ? Optional.of(cut(harness, r))
                  : Optional.empty());
      var exported = harness.export(harness.receiverBuilder().getMetricDataConcurrency(1).build());
      PollSummary broken = exported.pollAndExport();
      assertThat(broken.failedCalls()).isEqualTo(1);
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
