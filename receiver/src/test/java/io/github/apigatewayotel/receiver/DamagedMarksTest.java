package io.github.apigatewayotel.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.testing.logging.CapturedLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The persisted high-water marks damaged while the receiver was down for an hour: one warning names
 * the file, it is set aside, and every query resumes from the file's last save minus the lookback,
 * so metrics neither stop nor skip the hour; only the lookback before the last save is exported
 * twice. Marks of the previous version are still read.
 */
class DamagedMarksTest {

  private static final String MARKS = "receiver-high-water-marks.tsv";
  private static final String STAGE =
      "arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/stages/prod";

  @TempDir Path state;
  @RegisterExtension final ReceiverHarness harness = ReceiverHarness.demo();
  private CapturedLog log;

  @BeforeEach
  void setUp() throws Exception {
    log = CapturedLog.of("io.github.apigatewayotel");
  }

  @AfterEach
  void tearDown() throws Exception {
    log.close();
  }

  static Stream<Object[]> damages() {
    return Stream.of(
        new Object[] {"one invalid byte", (UnaryOperator<byte[]>) DamagedMarksTest::oneInvalidByte},
        new Object[] {"zero-filled", (UnaryOperator<byte[]>) bytes -> new byte[bytes.length]},
        new Object[] {
          "truncated", (UnaryOperator<byte[]>) bytes -> Arrays.copyOf(bytes, bytes.length / 2)
        },
        new Object[] {"empty", (UnaryOperator<byte[]>) bytes -> new byte[0]});
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("damages")
  void damagedMarksNeitherStopMetricsNorSkipTheDowntime(
      String damage, UnaryOperator<byte[]> damaging) throws IOException {
    var first =
        harness.export(
            harness.receiverBuilder().detailedMetrics(false).stateDirectory(state).build());
    PollSummary before = first.pollAndExport();
    assertThat(before.pointsExported()).isPositive();
    first.close();
    Path marks = state.resolve(MARKS);
    byte[] bytes = Files.readAllBytes(marks);
    Files.write(marks, damaging.apply(bytes));
    // Saved at the first run's time (the harness's clock is not the file system's).
    Files.setLastModifiedTime(marks, FileTime.from(harness.clock.instant()));

    harness.clock.advance(Duration.ofMinutes(60));
    var second =
        harness.export(
            harness.receiverBuilder().detailedMetrics(false).stateDirectory(state).build());
    PollSummary after = second.pollAndExport();

    assertThat(after.problems()).isEmpty();
    // Every period from the first window on, none missing: the hour down is read too.
    Set<Long> periods =
        ExactlyOnceTest.periodsOf(harness.points(), "aws.apigateway.latency.p99", STAGE);
    long start = before.windowStart().getEpochSecond();
    long end = after.windowEnd().getEpochSecond();
    for (long period = start; period < end; period += 60) {
      assertThat(periods).as("period %d", period).contains(period);
    }
    // What was exported twice: the lookback (10 minutes) before the last save, no more.
    assertThat(duplicates()).isLessThanOrEqualTo(before.pointsExported());
    assertThat(log.messagesAtLeast(Level.WARNING))
        .singleElement()
        .satisfies(
            message -> assertThat(message).contains(marks.toString()).contains("set aside as"));
    try (Stream<Path> files = Files.list(state)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(name -> name.startsWith(MARKS + ".corrupt-"));
    }
  }

  @Test
  void marksOfThePreviousVersionAreStillRead() throws IOException {
    var first =
        harness.export(
            harness.receiverBuilder().detailedMetrics(false).stateDirectory(state).build());
    first.pollAndExport();
    first.close();
    Path marks = state.resolve(MARKS);
    String text = Files.readString(marks);
    // The previous version's file: the same lines without the envelope.
    Files.writeString(marks, text.substring(text.indexOf('\n') + 1, text.lastIndexOf("end ")));

    harness.clock.advance(Duration.ofMinutes(1));
    var second =
        harness.export(
            harness.receiverBuilder().detailedMetrics(false).stateDirectory(state).build());
    PollSummary after = second.pollAndExport();

    assertThat(after.pointsExported()).isPositive();
    assertThat(duplicates()).isZero();
    assertThat(log.messagesAtLeast(Level.WARNING)).isEmpty();
  }

  private long duplicates() {
    List<ReceiverHarness.Point> points = harness.points();
    Set<String> keys = new HashSet<>();
    return points.stream().filter(p -> !keys.add(ExactlyOnceTest.key(p))).count();
  }

  /** A byte in the middle of the marks replaced with one no UTF-8 text holds. */
  private static byte[] oneInvalidByte(byte[] bytes) {
    byte[] damaged = bytes.clone();
    int line = new String(bytes, StandardCharsets.ISO_8859_1).indexOf('\n', bytes.length / 2);
    damaged[line + 1] = (byte) 0xff;
    return damaged;
  }
}
