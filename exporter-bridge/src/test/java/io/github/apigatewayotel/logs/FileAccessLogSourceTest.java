package io.github.apigatewayotel.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.apigatewayotel.logs.internal.FileCheckpointStore;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAccessLogSourceTest {

  private static final AccessLogFormat FORMAT =
      AccessLogFormat.of("$context.requestId $context.status");
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

  /** The value of {@code apigateway_otel.logs.source.errors}, 0 when absent. */
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

  private FileAccessLogSource withState(Path file) {
    return FileAccessLogSource.builder(file, bridge)
        .setStateDirectory(directory.resolve("state"))
        .build();
  }

  private static void truncate(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(0);
    }
  }

  private static void append(Path file, String text) throws IOException {
    Files.writeString(
        file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
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
    assertThat(first.getAttributes().get(AttributeKey.stringArrayKey("aws.log.group.names")))
        .isNull();
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
    Files.move(
        replacement, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
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
      await().atMost(WAIT).until(() -> requestIds().size() == 1);

      // A line being written is not emitted until its newline arrives.
      append(file, "r2 2");
      append(file, "00\n");
      await().atMost(WAIT).until(() -> requestIds().size() == 2);

      // copytruncate-style rotation: the file shrinks and is read again from its start.
      Files.writeString(file, "t1 200\n", StandardOpenOption.TRUNCATE_EXISTING);
      await().atMost(WAIT).until(() -> requestIds().size() == 3);

      // Rotation by replacement: the old file's last lines, then the new file from its start.
      append(file, "t2 200\n");
      Path rotated = directory.resolve("next.log");
      append(rotated, "n1 200\n");
      Files.move(
          rotated, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      await().atMost(WAIT).until(() -> requestIds().size() >= 5);
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
    assertThat(records.get(2).getAttributes().get(AttributeKey.stringKey("aws.request_id")))
        .isEqualTo("r3");
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

  @Test
  void aFileRotatedWhileStoppedIsReadToItsEndBeforeTheNewOne() throws IOException {
    Path file = directory.resolve("access.log");
    append(file, "r1 200\nr2 200\n");
    try (FileAccessLogSource source = withState(file)) {
      assertThat(source.readToEnd()).isEqualTo(2);
    }
    // Stopped: the writer adds lines after the checkpoint, then the file is rotated by renaming.
    append(file, "r3 200\nr4 200\n");
    Files.move(file, directory.resolve("access.log.1"));
    append(file, "n1 200\nn2 200\n");
    try (FileAccessLogSource source = withState(file)) {
      assertThat(source.readToEnd()).isEqualTo(4);
    }
    try (FileAccessLogSource source = withState(file)) {
      assertThat(source.readToEnd()).isZero();
    }
    assertThat(requestIds()).containsExactly("r1", "r2", "r3", "r4", "n1", "n2");
    assertThat(sourceErrors()).isZero();
  }

  @Test
  void followingAfterARestartFinishesTheFileRotatedWhileStoppedAndItsLateLines()
      throws IOException {
    Path file = directory.resolve("access.log");
    Path renamed = directory.resolve("access.log-20261130");
    append(file, "r1 200\n");
    try (FileAccessLogSource source = withState(file)) {
      assertThat(source.pollOnce()).isEqualTo(1);
    }
    append(file, "r2 200\n");
    Files.move(file, renamed);
    append(file, "n1 200\n");
    try (FileAccessLogSource source = withState(file)) {
      assertThat(source.pollOnce()).isEqualTo(2);
      append(renamed, "r3 200\n");
      append(file, "n2 200\n");
      assertThat(source.pollOnce()).isEqualTo(2);
    }
    try (FileAccessLogSource source = withState(file)) {
      assertThat(source.pollOnce()).isZero();
    }
    assertThat(requestIds()).containsExactly("r1", "r2", "n1", "r3", "n2");
  }

  @Test
  void linesTheWriterAppendsToTheRenamedFileArriveOnceDuringTheGracePeriod() throws IOException {
    Path file = directory.resolve("access.log");
    Path renamed = directory.resolve("access.log.1");
    append(file, "r1 200\n");
    try (FileAccessLogSource source = withState(file)) {
      assertThat(source.pollOnce()).isEqualTo(1);
      append(file, "r2 200\n");
      Files.move(file, renamed);
      append(file, "n1 200\n");
      assertThat(source.pollOnce()).isEqualTo(2);
      assertThat(source.holdsRotatedFile()).isTrue();

      // The writer has not reopened the path yet: it still appends to the renamed file.
      append(renamed, "r3 200\nr4 200\nr5 200\n");
      append(file, "n2 200\n");
      assertThat(source.pollOnce()).isEqualTo(4);
      assertThat(requestIds()).containsExactly("r1", "r2", "n1", "r3", "r4", "r5", "n2");

      long pollsAfterRotation = 1;
      while (source.holdsRotatedFile() && pollsAfterRotation < 10_000) {
        assertThat(source.pollOnce()).isZero();
        pollsAfterRotation++;
      }
      assertThat(source.rotatedFileGracePolls()).isEqualTo(30); // 30 s at the default 1 s
      assertThat(pollsAfterRotation).isEqualTo(source.rotatedFileGracePolls());

      // Closed: what is written to it now is no longer read.
      append(renamed, "r6 200\n");
      assertThat(source.pollOnce()).isZero();
    }
    assertThat(requestIds()).containsExactly("r1", "r2", "n1", "r3", "r4", "r5", "n2");
    assertThat(sourceErrors()).isZero();
  }

  @Test
  void aLineTheWriterCompletesInTheRenamedFileIsEmittedWhole() throws IOException {
    Path file = directory.resolve("access.log");
    Path renamed = directory.resolve("access.log.1");
    append(file, "r1 200\nr2 2");
    try (FileAccessLogSource source =
        FileAccessLogSource.builder(file, bridge).setPollInterval(Duration.ofSeconds(30)).build()) {
      assertThat(source.rotatedFileGracePolls()).isEqualTo(1);
      assertThat(source.pollOnce()).isEqualTo(1);
      Files.move(file, renamed);
      append(file, "n1 200\n");
      assertThat(source.pollOnce()).isEqualTo(1);
      append(renamed, "00\nr3 5");
      assertThat(source.pollOnce())
          .isEqualTo(2); // r2, then r3 ended by the end of the grace period
      assertThat(source.holdsRotatedFile()).isFalse();
    }
    assertThat(requestIds()).containsExactly("r1", "n1", "r2", "r3");
    assertThat(telemetry.records().get(2).getBodyValue().asString()).isEqualTo("r2 200");
  }

  @Test
  void copytruncateLosesNoLineWrittenBeforeTheCopy() throws IOException {
    Path file = directory.resolve("access.log");
    append(file, "r1 200\nr2 200\n");
    try (FileAccessLogSource source = withState(file)) {
      assertThat(source.pollOnce()).isEqualTo(2);
      append(file, "r3 200\nr4 200\n");
      Files.copy(file, directory.resolve("access.log.1"));
      truncate(file);
      append(file, "n1 200\n");
      assertThat(source.pollOnce()).isEqualTo(3);
      append(file, "n2 200\n");
      assertThat(source.pollOnce()).isEqualTo(1);
    }
    try (FileAccessLogSource source = withState(file)) {
      assertThat(source.pollOnce()).isZero();
    }
    assertThat(requestIds()).containsExactly("r1", "r2", "r3", "r4", "n1", "n2");
    assertThat(sourceErrors()).isZero();
  }

  @Test
  void copytruncateWhileStoppedIsReadFromTheCopyFirst() throws IOException {
    Path file = directory.resolve("access.log");
    append(file, "r1 200\n");
    try (FileAccessLogSource source = withState(file)) {
      assertThat(source.readToEnd()).isEqualTo(1);
    }
    append(file, "r2 200\n");
    Files.copy(file, directory.resolve("access.log.1"));
    truncate(file);
    // Longer than what was read: only the rewritten first bytes show the truncation.
    append(file, "n1 200\nn2 200\nn3 200\n");
    try (FileAccessLogSource source = withState(file)) {
      assertThat(source.readToEnd()).isEqualTo(4);
    }
    assertThat(requestIds()).containsExactly("r1", "r2", "n1", "n2", "n3");
    assertThat(sourceErrors()).isZero();
  }

  @Test
  void aCheckpointedFileThatIsGoneIsCountedAsLostAndTheNewFileReadFromItsStart()
      throws IOException {
    Path file = directory.resolve("access.log");
    append(file, "r1 200\nr2 200\n");
    try (FileAccessLogSource source = withState(file)) {
      assertThat(source.readToEnd()).isEqualTo(2);
    }
    append(file, "r3 200\n");
    // Rotated and compressed while stopped: the compressed copy is not read.
    Files.copy(file, directory.resolve("access.log.1.gz"));
    Files.delete(file);
    append(file, "n1 200\n");
    try (FileAccessLogSource source = withState(file)) {
      assertThat(source.readToEnd()).isEqualTo(1);
    }
    assertThat(requestIds()).containsExactly("r1", "r2", "n1");
    assertThat(sourceErrors()).isEqualTo(1);
  }

  /** The time the saved checkpoint was written, by the file system's clock. */
  private FileTime checkpointTime(Path file) throws IOException {
    return Files.getLastModifiedTime(
        new FileCheckpointStore(directory.resolve("state"), file).path());
  }

  private static FileTime plusMinutes(FileTime time, long minutes) {
    return FileTime.from(time.toInstant().plus(Duration.ofMinutes(minutes)));
  }

  @Test
  void anEmptyFileCheckpointedThenRenamedWhileStoppedIsFoundByItsKey() throws IOException {
    Path file = directory.resolve("access.log");
    append(file, "");
    try (FileAccessLogSource source = withState(file)) {
      assertThat(source.pollOnce()).isZero(); // checkpoints the empty file: no first bytes
    }
    append(file, "w1 200\nw2 200\n");
    Files.move(file, directory.resolve("access.log.1"));
    append(file, "n1 200\n");
    try (FileAccessLogSource source = withState(file)) {
      assertThat(source.pollOnce()).isEqualTo(3);
    }
    try (FileAccessLogSource source = withState(file)) {
      assertThat(source.pollOnce()).isZero();
    }
    assertThat(requestIds()).containsExactly("w1", "w2", "n1");
    assertThat(sourceErrors()).isZero();
  }

  @Test
  void anEmptyFileCheckpointedThenCopiedAndTruncatedWhileStoppedIsReadFromTheCopyFirst()
      throws IOException {
    Path file = directory.resolve("access.log");
    Path copy = directory.resolve("access.log.1");
    append(file, "");
    try (FileAccessLogSource source = withState(file)) {
      assertThat(source.pollOnce()).isZero();
    }
    append(file, "w1 200\nw2 200\n");
    Files.copy(file, copy);
    Files.setLastModifiedTime(copy, plusMinutes(checkpointTime(file), 1)); // copied after it
    truncate(file);
    append(file, "n1 200\n");
    try (FileAccessLogSource source = withState(file)) {
      assertThat(source.pollOnce()).isEqualTo(3);
    }
    try (FileAccessLogSource source = withState(file)) {
      assertThat(source.pollOnce()).isZero();
    }
    assertThat(requestIds()).containsExactly("w1", "w2", "n1");
    assertThat(sourceErrors()).isZero();
  }

  @Test
  void theFileRotatedBeforeAnEmptyCheckpointIsNotReadAgainForItsLateLines() throws IOException {
    Path file = directory.resolve("access.log");
    Path renamed = directory.resolve("access.log.1");
    append(file, "r1 200\n");
    try (FileAccessLogSource source = withState(file)) {
      assertThat(source.pollOnce()).isEqualTo(1);
      Files.move(file, renamed);
      append(file, "");
      append(renamed, "r2 200\n"); // the writer has not reopened the path yet
      assertThat(source.pollOnce()).isEqualTo(1); // r2; the new, empty file is checkpointed
    }
    // A late line after the stop: newer than the checkpoint, but the rest of the file was read.
    append(renamed, "r3 200\n");
    Files.setLastModifiedTime(renamed, plusMinutes(checkpointTime(file), 1));
    append(file, "n1 200\n");
    try (FileAccessLogSource source = withState(file)) {
      assertThat(source.pollOnce()).isEqualTo(1);
    }
    assertThat(requestIds()).containsExactly("r1", "r2", "n1");
  }

  @Test
  void everyFileRotatedBetweenTheCheckpointedOneAndThePathIsReadOnceOldestFirst()
      throws IOException {
    Path file = directory.resolve("access.log");
    append(file, "r1 200\n");
    try (FileAccessLogSource source = withState(file)) {
      assertThat(source.pollOnce()).isEqualTo(1);
    }
    // Stopped: rotated twice without compression (delaycompress).
    append(file, "r2 200\n");
    Files.move(file, directory.resolve("access.log.1"));
    append(file, "m1 200\nm2 200\n");
    Files.move(directory.resolve("access.log.1"), directory.resolve("access.log.2"));
    Files.move(file, directory.resolve("access.log.1"));
    append(file, "n1 200\n");
    FileTime rotated = Files.getLastModifiedTime(directory.resolve("access.log.2"));
    Files.setLastModifiedTime(directory.resolve("access.log.1"), plusMinutes(rotated, 60));
    try (FileAccessLogSource source = withState(file)) {
      assertThat(source.pollOnce()).isEqualTo(4);
    }
    try (FileAccessLogSource source = withState(file)) {
      assertThat(source.pollOnce()).isZero();
    }
    assertThat(requestIds()).containsExactly("r1", "r2", "m1", "m2", "n1");
    assertThat(sourceErrors()).isZero();
  }

  @Test
  void aFileRotatedBeforeTheCheckpointedOneIsNeverRead() throws IOException {
    Path file = directory.resolve("access.log");
    Path older = directory.resolve("access.log.2");
    append(older, "o1 200\n"); // read before the checkpointed file, kept uncompressed
    append(file, "r1 200\n");
    Files.setLastModifiedTime(older, plusMinutes(Files.getLastModifiedTime(file), -60));
    try (FileAccessLogSource source = withState(file)) {
      assertThat(source.pollOnce()).isEqualTo(1);
    }
    append(file, "r2 200\n");
    Files.move(file, directory.resolve("access.log.1"));
    append(file, "n1 200\n");
    try (FileAccessLogSource source = withState(file)) {
      assertThat(source.pollOnce()).isEqualTo(2);
    }
    assertThat(requestIds()).containsExactly("r1", "r2", "n1");
    assertThat(sourceErrors()).isZero();
  }

  /**
   * The writer appends a late line to the renamed file after the new (empty) file was created, so
   * the renamed file is newer than the new one. The new one is rotated away while stopped: the
   * renamed file, read whole before the stop, is read whole again.
   */
  @Test
  void theFileRotatedBeforeAnEmptyCheckpointedFileIsNotReadAgainWhenThatOneIsRenamedWhileStopped()
      throws IOException {
    Path file = directory.resolve("access.log");
    Path renamed = directory.resolve("access.log.1");
    append(file, "r1 200\n");
    try (FileAccessLogSource source = withState(file)) {
      assertThat(source.pollOnce()).isEqualTo(1);
      Files.move(file, renamed);
      append(file, ""); // logrotate's create
      append(renamed, "r2 200\n"); // the writer has not reopened the path yet
      Files.setLastModifiedTime(
          file, FileTime.from(Files.getLastModifiedTime(renamed).toInstant().minusSeconds(1)));
      assertThat(source.pollOnce()).isEqualTo(1); // r2; the new, empty file is checkpointed
    }
    // Stopped: the next rotation (ifempty, delaycompress) renames the empty file too.
    Files.move(renamed, directory.resolve("access.log.2"));
    Files.move(file, renamed);
    append(file, "n1 200\n");
    try (FileAccessLogSource source = withState(file)) {
      source.pollOnce();
    }
    assertThat(requestIds()).containsExactly("r1", "r2", "n1");
  }

  /**
   * As {@link #theFileRotatedBeforeAnEmptyCheckpointIsNotReadAgainForItsLateLines}, but the source
   * ran past the grace period before the stop.
   */
  @Test
  void aLateLineAfterTheGracePeriodDoesNotMakeTheWholeRenamedFileReadAgain() throws IOException {
    Path file = directory.resolve("access.log");
    Path renamed = directory.resolve("access.log.1");
    append(file, "r1 200\n");
    try (FileAccessLogSource source = withState(file)) {
      assertThat(source.pollOnce()).isEqualTo(1);
      Files.move(file, renamed);
      append(file, "");
      append(renamed, "r2 200\n");
      assertThat(source.pollOnce()).isEqualTo(1);
      for (int i = 0; i < 40; i++) {
        source.pollOnce(); // past the 30-poll grace period
      }
    }
    append(renamed, "r3 200\n"); // the writer never reopened the path
    Files.setLastModifiedTime(
        renamed,
        FileTime.from(
            Files.getLastModifiedTime(directory.resolve("state")).toInstant().plusSeconds(3600)));
    append(file, "n1 200\n");
    try (FileAccessLogSource source = withState(file)) {
      source.pollOnce();
    }
    assertThat(requestIds())
        .as("r3 may be lost (documented), r1 r2 must not repeat")
        .doesNotHaveDuplicates();
  }

  @Test
  void theMiddleFileOfTwoRotationsWhileStoppedIsNotReadWholeAgainAfterALateLine()
      throws IOException {
    Instant t0 = Instant.now().minusSeconds(3600);
    Path file = directory.resolve("access.log");
    append(file, "a1 200\n");
    setModified(file, t0);
    try (FileAccessLogSource source = withState(file)) {
      assertThat(source.pollOnce()).isEqualTo(1);
    }
    // Stopped: rotation 1 (A -> .1, B created, b1), rotation 2 (.1 -> .2, B -> .1, C created empty)
    Files.move(file, directory.resolve("access.log.1"));
    append(file, "b1 200\n");
    setModified(file, t0.plusSeconds(60));
    Files.move(directory.resolve("access.log.1"), directory.resolve("access.log.2"));
    Files.move(file, directory.resolve("access.log.1"));
    append(file, "");
    setModified(file, t0.plusSeconds(120));
    try (FileAccessLogSource source = withState(file)) {
      source.pollOnce();
    }
    assertThat(requestIds()).containsExactly("a1", "b1");
    // The writer (not reopened yet) appends late to B, now access.log.1.
    append(directory.resolve("access.log.1"), "b2 200\n");
    setModified(directory.resolve("access.log.1"), Instant.now().plusSeconds(3600));
    try (FileAccessLogSource source = withState(file)) {
      source.pollOnce();
    }
    assertThat(requestIds())
        .as("b2 may be lost (late line); b1 must not repeat")
        .doesNotHaveDuplicates();
  }

  private static void setModified(Path file, Instant time) throws IOException {
    Files.setLastModifiedTime(file, FileTime.from(time));
  }
}
