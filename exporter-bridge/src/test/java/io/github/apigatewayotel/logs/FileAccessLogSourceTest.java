package io.github.apigatewayotel.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAccessLogSourceTest {

  private static final AccessLogFormat FORMAT = AccessLogFormat.of("$context.requestId $context.status");
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path directory;

  private final InMemoryTelemetry telemetry = new InMemoryTelemetry();
  private final AccessLogBridge bridge = telemetry.bridge().setFormat(FORMAT).build();
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void close() throws InterruptedException {
    executor.shutdownNow();
    assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    telemetry.close();
  }

  private List<String> requestIds() {
    return telemetry.records().stream()
        .map(record -> record.getAttributes().get(AttributeKey.stringKey("aws.request_id")))
        .toList();
  }

  private static void append(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  @Test
  void readsAFileOnceIncludingAnUnterminatedLastLineAndCrlf() throws IOException {
    Path file = directory.resolve("access.log");
    append(file, "r1 200\r\nr2 404\nr3 500");
    try (FileAccessLogSource source = FileAccessLogSource.builder(file, bridge).build()) {
      assertThat(source.readToEnd()).isEqualTo(3);
    }
    assertThat(requestIds()).containsExactly("r1", "r2", "r3");
    LogRecordData first = telemetry.records().get(0);
    assertThat(first.getBodyValue().asString()).isEqualTo("r1 200");
    assertThat(first.getAttributes().get(AttributeKey.stringArrayKey("aws.log.group.names"))).isNull();
    assertThat(telemetry.linesCounted("parsed")).isEqualTo(3);
  }

  @Test
  void withoutStateDirectoryEachSourceStartsAtTheBeginning() throws IOException {
    Path file = directory.resolve("access.log");
    append(file, "r1 200\n");
    try (FileAccessLogSource source = FileAccessLogSource.builder(file, bridge).build()) {
      source.readToEnd();
    }
    try (FileAccessLogSource source = FileAccessLogSource.builder(file, bridge).build()) {
      source.readToEnd();
    }
    assertThat(requestIds()).containsExactly("r1", "r1");
  }

  @Test
  void checkpointRestartNeitherLosesNorRepeatsALine() throws IOException {
    Path file = directory.resolve("access.log");
    Path state = directory.resolve("state");
    append(file, "r1 200\nr2 200\n");
    try (FileAccessLogSource source =
        FileAccessLogSource.builder(file, bridge).setStateDirectory(state).build()) {
      assertThat(source.readToEnd()).isEqualTo(2);
    }
    append(file, "r3 200\nr4 200\n");
    try (FileAccessLogSource source =
        FileAccessLogSource.builder(file, bridge).setStateDirectory(state).build()) {
      assertThat(source.readToEnd()).isEqualTo(2);
      assertThat(source.readToEnd()).isZero();
    }
    assertThat(requestIds()).containsExactly("r1", "r2", "r3", "r4");
  }

  @Test
  void checkpointOfAReplacedFileIsNotAppliedToTheNewOne() throws IOException {
    Path file = directory.resolve("access.log");
    Path state = directory.resolve("state");
    append(file, "r1 200\nr2 200\n");
    try (FileAccessLogSource source =
        FileAccessLogSource.builder(file, bridge).setStateDirectory(state).build()) {
      source.readToEnd();
    }
    Path replacement = directory.resolve("new.log");
    append(replacement, "n1 200\nn2 200\nn3 200\n");
    Files.move(replacement, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    try (FileAccessLogSource source =
        FileAccessLogSource.builder(file, bridge).setStateDirectory(state).build()) {
      assertThat(source.readToEnd()).isEqualTo(3);
    }
    assertThat(requestIds()).containsExactly("r1", "r2", "n1", "n2", "n3");
  }

  @Test
  void followModeHandlesAppendTruncationAndRotation() throws IOException {
    Path file = directory.resolve("access.log");
    append(file, "r1 200\n");
    try (FileAccessLogSource source =
        FileAccessLogSource.builder(file, bridge).setPollInterval(Duration.ofMillis(20)).build()) {
      source.start(executor);
      assertThat(OtlpTestReceiver.await(WAIT, () -> requestIds().size() == 1)).isTrue();

      // A line being written is not emitted until its newline arrives.
      append(file, "r2 2");
      append(file, "00\n");
      assertThat(OtlpTestReceiver.await(WAIT, () -> requestIds().size() == 2)).isTrue();

      // copytruncate-style rotation: the file shrinks and is read again from its start.
      Files.writeString(file, "t1 200\n", StandardOpenOption.TRUNCATE_EXISTING);
      assertThat(OtlpTestReceiver.await(WAIT, () -> requestIds().size() == 3)).isTrue();

      // Rotation by replacement: the old file's last lines, then the new file from its start.
      append(file, "t2 200\n");
      Path rotated = directory.resolve("next.log");
      append(rotated, "n1 200\n");
      Files.move(rotated, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      assertThat(OtlpTestReceiver.await(WAIT, () -> requestIds().size() >= 5)).isTrue();
    }
    assertThat(requestIds()).containsExactly("r1", "r2", "t1", "t2", "n1");
  }

  @Test
  void invalidUtf8AndOverlongLinesAreFlaggedNotFatal() throws IOException {
    Path file = directory.resolve("access.log");
    byte[] invalid = {'r', '1', ' ', (byte) 0xC3, (byte) 0x28, '\n'};
    Files.write(file, invalid);
    append(file, "r2 " + "9".repeat(300 * 1024) + "\n" + "r3 200\n");
    try (FileAccessLogSource source = FileAccessLogSource.builder(file, bridge).build()) {
      assertThat(source.readToEnd()).isEqualTo(3);
    }
    List<LogRecordData> records = telemetry.records();
    assertThat(records.get(0).getAttributes().get(AttributeKey.stringKey("error.type")))
        .isEqualTo("aws.apigateway.access_log.invalid_utf8");
    assertThat(records.get(0).getBodyValue().asString()).isEqualTo("r1 \uFFFD(");
    assertThat(records.get(1).getAttributes().get(AttributeKey.stringKey("error.type")))
        .isEqualTo("aws.apigateway.access_log.too_long");
    assertThat(records.get(1).getBodyValue().asString()).hasSize(256 * 1024);
    assertThat(records.get(2).getAttributes().get(AttributeKey.stringKey("aws.request_id"))).isEqualTo("r3");
    assertThat(telemetry.linesCounted("invalid_utf8")).isEqualTo(1);
    assertThat(telemetry.linesCounted("too_long")).isEqualTo(1);
  }

  @Test
  void aFileRewrittenPastItsOldEndBetweenReadsIsReadAgainFromTheStart() throws IOException {
    Path file = directory.resolve("access.log");
    append(file, "r1 200\n");
    try (FileAccessLogSource source = FileAccessLogSource.builder(file, bridge).build()) {
      assertThat(source.readToEnd()).isEqualTo(1);
      Files.writeString(file, "x1 200\nx2 200\n", StandardOpenOption.TRUNCATE_EXISTING);
      assertThat(source.readToEnd()).isEqualTo(2);
    }
    assertThat(requestIds()).containsExactly("r1", "x1", "x2");
  }

  @Test
  void aMissingFileIsNotAnError() {
    try (FileAccessLogSource source =
        FileAccessLogSource.builder(directory.resolve("absent.log"), bridge).build()) {
      assertThat(source.readToEnd()).isZero();
    }
  }
}
