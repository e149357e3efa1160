package io.github.apigatewayotel.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.testing.logging.CapturedLog;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A file source whose checkpoint is damaged: whatever the damage, one warning names the file and
 * what happens, the checkpoint is set aside, and the file is read again from its start (nothing
 * lost; what was read is repeated). A checkpoint of the previous version is still read.
 */
class FileCheckpointDamageTest {

  private static final AccessLogFormat FORMAT =
      AccessLogFormat.of("$context.requestId $context.status");

  @TempDir Path directory;

  private final InMemoryTelemetry telemetry = new InMemoryTelemetry();
  private final AccessLogBridge bridge = telemetry.bridge().setFormat(FORMAT).build();
  private final CapturedLog log = CapturedLog.of("io.github.apigatewayotel");

  @AfterEach
  void close() {
    log.close();
    telemetry.close();
  }

  /** Damage done to a checkpoint file of the current format. */
  static Stream<Object[]> damages() {
    return Stream.of(
        new Object[] {"empty", (UnaryOperator<byte[]>) bytes -> new byte[0]},
        new Object[] {
          "truncated", (UnaryOperator<byte[]>) bytes -> Arrays.copyOf(bytes, bytes.length - 7)
        },
        new Object[] {"zero-filled", (UnaryOperator<byte[]>) bytes -> new byte[bytes.length]},
        new Object[] {
          "garbage",
          (UnaryOperator<byte[]>)
              bytes -> "\u0000\u0013!!garbage\n".getBytes(StandardCharsets.UTF_8)
        },
        new Object[] {
          "one byte changed", (UnaryOperator<byte[]>) FileCheckpointDamageTest::changeTheOffset
        },
        // What the previous version wrote, with a malformed escape: Properties.load throws
        // IllegalArgumentException, which blocked the source for good.
        new Object[] {
          "malformed \\u escape", (UnaryOperator<byte[]>) bytes -> legacy(bytes, "offset=\\u12")
        });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("damages")
  void aDamagedCheckpointIsSetAsideLoggedOnceAndTheFileReadAgainFromItsStart(
      String damage, UnaryOperator<byte[]> damaging) throws IOException {
    Path file = directory.resolve("access.log");
    append(file, "r1 200\nr2 200\n");
    try (FileAccessLogSource source = withState(file)) {
      assertThat(source.readToEnd()).isEqualTo(2);
    }
    Path checkpoint = onlyCheckpoint();
    Files.write(checkpoint, damaging.apply(Files.readAllBytes(checkpoint)));
    append(file, "r3 200\n");

    try (FileAccessLogSource source = withState(file)) {
      assertThat(source.readToEnd()).isEqualTo(3);
      assertThat(source.readToEnd()).isZero(); // and a fresh checkpoint was saved
    }

    assertThat(requestIds()).containsExactly("r1", "r2", "r1", "r2", "r3");
    assertThat(log.messagesAtLeast(Level.WARNING))
        .singleElement()
        .satisfies(
            message ->
                assertThat(message)
                    .contains(checkpoint.toString())
                    .contains("is damaged")
                    .contains("set aside as " + checkpoint.getFileName() + ".corrupt-")
                    .contains("read again from its start"));
    assertThat(siblingsOf(checkpoint)).anyMatch(name -> name.contains(".corrupt-"));
    assertThat(sourceErrors()).isEqualTo(1);
  }

  @Test
  void aCheckpointOfThePreviousVersionIsStillReadAndRewrittenInTheCurrentFormat()
      throws IOException {
    Path file = directory.resolve("access.log");
    append(file, "r1 200\nr2 200\n");
    try (FileAccessLogSource source = withState(file)) {
      source.readToEnd();
    }
    Path checkpoint = onlyCheckpoint();
    // The previous version's file: the same properties, without the envelope.
    Files.write(checkpoint, legacy(Files.readAllBytes(checkpoint), null));
    assertThat(Files.readString(checkpoint)).doesNotContain("apigateway-otel-state");
    append(file, "r3 200\n");

    try (FileAccessLogSource source = withState(file)) {
      assertThat(source.readToEnd()).isEqualTo(1);
    }

    assertThat(requestIds()).containsExactly("r1", "r2", "r3");
    assertThat(log.messagesAtLeast(Level.WARNING)).isEmpty();
    assertThat(Files.readString(checkpoint)).startsWith("apigateway-otel-state file-checkpoint 2");
  }

  @Test
  void afterADamagedCheckpointAFileRotatedAwaySinceItsLastSaveIsReadWholeFirst()
      throws IOException {
    Path file = directory.resolve("access.log");
    append(file, "r1 200\n");
    try (FileAccessLogSource source = withState(file)) {
      source.readToEnd();
    }
    Path checkpoint = onlyCheckpoint();
    FileTime saved = Files.getLastModifiedTime(checkpoint);
    // While stopped: a line is written, the file rotated, a new one started, the checkpoint lost.
    append(file, "r2 200\n");
    Path rotated = directory.resolve("access.log.1");
    Files.move(file, rotated);
    Files.setLastModifiedTime(rotated, FileTime.from(saved.toInstant().plusSeconds(60)));
    append(file, "r3 200\n");
    Files.write(checkpoint, new byte[0]);

    try (FileAccessLogSource source = withState(file)) {
      source.readToEnd();
    }

    // r2 is read (in the rotated file, whole): nothing is lost; r1 is repeated.
    assertThat(requestIds()).containsExactly("r1", "r1", "r2", "r3");
  }

  /** The payload alone (as the previous version wrote it), with {@code replacedOffset} if set. */
  private static byte[] legacy(byte[] current, String replacedOffset) {
    String text = new String(current, StandardCharsets.UTF_8);
    String payload = text.substring(text.indexOf('\n') + 1, text.lastIndexOf("end "));
    if (replacedOffset != null) {
      payload =
          payload.replaceAll(
              "(?m)^offset=.*$", java.util.regex.Matcher.quoteReplacement(replacedOffset));
    }
    return payload.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** The offset's last digit changed: a checkpoint that parses but lies. */
  private static byte[] changeTheOffset(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    int at = text.indexOf("offset=") + "offset=".length();
    bytes[at] = (byte) (bytes[at] == '1' ? '2' : '1');
    return bytes;
  }

  private FileAccessLogSource withState(Path file) {
    return FileAccessLogSource.builder(file, bridge)
        .setStateDirectory(directory.resolve("state"))
        .build();
  }

  private Path onlyCheckpoint() throws IOException {
    try (Stream<Path> files = Files.list(directory.resolve("state"))) {
      List<Path> checkpoints =
          files.filter(p -> p.getFileName().toString().endsWith(".checkpoint")).toList();
      assertThat(checkpoints).hasSize(1);
      return checkpoints.get(0);
    }
  }

  private static List<String> siblingsOf(Path file) throws IOException {
    try (Stream<Path> files = Files.list(file.getParent())) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }

  private List<String> requestIds() {
    return telemetry.records().stream()
        .map(record -> record.getAttributes().get(AttributeKey.stringKey("aws.request_id")))
        .toList();
  }

  private long sourceErrors() {
    for (MetricData metric : telemetry.metrics.collectAllMetrics()) {
      if (metric.getName().equals("apigateway_otel.logs.source.errors")) {
        return metric.getLongSumData().getPoints().stream()
            .mapToLong(LongPointData::getValue)
            .sum();
      }
    }
    return 0;
  }

  private static void append(Path file, String text) throws IOException {
    Files.writeString(
        file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
