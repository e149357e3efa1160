package io.github.apigatewayotel.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileTest {

  private static final String FALLBACK = "starting over from the lookback";
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-04T10:15:30Z"), ZoneOffset.UTC);
  private static final StateFile.PayloadReader<String> TEXT =
      in -> in.lines().reduce("", (a, b) -> a + b + "\n");

  @TempDir Path dir;
  private final List<LogRecord> logged = new ArrayList<>();
  private final Logger logger = Logger.getLogger(StateFile.class.getName());
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          logged.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void captureLog() {
    logger.addHandler(capture);
  }

  @AfterEach
  void stopCapture() {
    logger.removeHandler(capture);
  }

  private StateFile file() {
    return new StateFile(dir.resolve("marks.tsv"), "marks", FileChannel::open, CLOCK);
  }

  private static StateFile.PayloadWriter text(String payload) {
    return out -> out.write(payload);
  }

  @Test
  void whatIsSavedIsLoaded() throws IOException {
    StateFile file = file();
    file.save(text("a\t1\nb\t2\nü\t3\n"));

    StateFile.Loaded<String> loaded = file.load(TEXT, null, FALLBACK);

    assertThat(loaded.status()).isEqualTo(StateFile.Status.CURRENT);
    assertThat(loaded.value()).isEqualTo("a\t1\nb\t2\nü\t3\n");
    assertThat(Files.readString(file.path())).startsWith("apigateway-otel-state marks 2\n");
    assertThat(logged).isEmpty();
    assertThat(siblings()).containsExactly("marks.tsv");
  }

  @Test
  void noFileIsMissingNotDamaged() throws IOException {
    assertThat(file().load(TEXT, null, FALLBACK).status()).isEqualTo(StateFile.Status.MISSING);
    assertThat(logged).isEmpty();
  }

  @Test
  void anEmptyFileIsDamaged() throws IOException {
    Files.write(file().path(), new byte[0]);
    assertDamaged("it is empty");
  }

  @Test
  void aTruncatedFileIsDamaged() throws IOException {
    file().save(text("a\t1\nb\t2\n"));
    byte[] bytes = Files.readAllBytes(file().path());
    Files.write(file().path(), java.util.Arrays.copyOf(bytes, bytes.length - 12));
    assertDamaged("truncated");
  }

  @Test
  void aFileCutAfterItsHeaderIsDamaged() throws IOException {
    Files.writeString(file().path(), "apigateway-otel-state marks 2\na\t1\n");
    assertDamaged("truncated");
  }

  @Test
  void aZeroFilledFileIsDamaged() throws IOException {
    file().save(text("a\t1\nb\t2\n"));
    Files.write(file().path(), new byte[(int) Files.size(file().path())]);
    assertDamaged("header");
  }

  @Test
  void aGarbageFileIsDamaged() throws IOException {
    Files.write(
        file().path(), "\u0007\u0001garbage\nmore garbage".getBytes(StandardCharsets.UTF_8));
    assertDamaged("header");
  }

  @Test
  void oneChangedByteIsDamage() throws IOException {
    file().save(text("a\t1700000000\nb\t1700000060\n"));
    byte[] bytes = Files.readAllBytes(file().path());
    int digit = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("1700000060");
    bytes[digit + 9] = '9'; // a later mark: would silently skip periods
    Files.write(file().path(), bytes);
    assertDamaged("checksum");
  }

  @Test
  void oneInvalidByteIsDamage() throws IOException {
    file().save(text("a\t1\n"));
    byte[] bytes = Files.readAllBytes(file().path());
    bytes[bytes.length - StateFile.END_LINE_BYTES - 3] = (byte) 0xff;
    Files.write(file().path(), bytes);
    assertDamaged("checksum");
  }

  @Test
  void aPayloadItsReaderRefusesIsDamaged() throws IOException {
    file().save(text("not a number\n"));
    StateFile.Loaded<Long> loaded =
        file().load(in -> Long.parseLong(in.readLine()), null, FALLBACK);
    assertThat(loaded.status()).isEqualTo(StateFile.Status.DAMAGED);
    assertThat(logged)
        .singleElement()
        .satisfies(r -> assertThat(r.getMessage()).contains("NumberFormatException"));
  }

  @Test
  void stateOfAnotherKindIsDamaged() throws IOException {
    new StateFile(file().path(), "checkpoint", FileChannel::open, CLOCK).save(text("x\n"));
    assertDamaged("other state");
  }

  @Test
  void aFileOfThePreviousFormatIsReadByTheLegacyReader() throws IOException {
    Files.writeString(file().path(), "# v1\na\t1\n");
    StateFile.Loaded<String> loaded =
        file().load(TEXT, in -> new String(in.readAllBytes(), StandardCharsets.UTF_8), FALLBACK);
    assertThat(loaded.status()).isEqualTo(StateFile.Status.LEGACY);
    assertThat(loaded.value()).isEqualTo("# v1\na\t1\n");
    assertThat(logged).isEmpty();
  }

  @Test
  void aFileOfThePreviousFormatItsReaderRefusesIsDamaged() throws IOException {
    Files.writeString(file().path(), "# v1\nbroken\n");
    StateFile.Loaded<String> loaded =
        file()
            .load(
                TEXT,
                in -> {
                  throw new IllegalArgumentException("Malformed \\uxxxx encoding.");
                },
                FALLBACK);
    assertThat(loaded.status()).isEqualTo(StateFile.Status.DAMAGED);
    assertThat(logged)
        .singleElement()
        .satisfies(r -> assertThat(r.getMessage()).contains("Malformed"));
  }

  @Test
  void aDamagedFileIsSetAsideOnceAndLoggedOnceWithTheFallback() throws IOException {
    Files.write(file().path(), new byte[0]);
    StateFile.Loaded<String> first = file().load(TEXT, null, FALLBACK);
    Files.write(file().path(), new byte[0]);
    file().load(TEXT, null, FALLBACK);

    assertThat(first.savedAt()).isNotNull();
    assertThat(siblings())
        .containsExactlyInAnyOrder(
            "marks.tsv.corrupt-20261204T101530Z", "marks.tsv.corrupt-20261204T101530Z-2");
    assertThat(logged).hasSize(2);
    LogRecord record = logged.get(0);
    assertThat(record.getLevel()).isEqualTo(Level.WARNING);
    assertThat(record.getMessage())
        .contains(file().path().toString())
        .contains("it is empty")
        .contains("set aside as marks.tsv.corrupt-20261204T101530Z")
        .endsWith(FALLBACK);
    // Set aside: the next load finds nothing, and says nothing.
    logged.clear();
    assertThat(file().load(TEXT, null, FALLBACK).status()).isEqualTo(StateFile.Status.MISSING);
    assertThat(logged).isEmpty();
  }

  @Test
  void aFullDiskLeavesTheOldFileAndNoTemporaryFile() throws IOException {
    file().save(text("a\t1\n"));
    for (long room : new long[] {0, 10, 40}) {
      StateFile full =
          new StateFile(
              file().path(),
              "marks",
              (path, options) ->
                  path.getFileName().toString().endsWith(".tmp")
                      ? new FullDiskChannel(FileChannel.open(path, options), room)
                      : FileChannel.open(path, options),
              CLOCK);

      assertThatThrownBy(() -> full.save(text("a\t2\nb\t3\n")))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("No space left on device");

      assertThat(siblings()).as("room for %d bytes", room).containsExactly("marks.tsv");
      assertThat(file().load(TEXT, null, FALLBACK).value()).isEqualTo("a\t1\n");
    }
  }

  @Test
  void aLeftoverTemporaryFileOfACrashIsOverwritten() throws IOException {
    Files.writeString(dir.resolve("marks.tsv.tmp"), "half a save");
    file().save(text("a\t1\n"));
    assertThat(siblings()).containsExactly("marks.tsv");
  }

  @Test
  void kindsAreWords() {
    assertThatThrownBy(() -> StateFile.of(dir.resolve("x"), "Two words"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private void assertDamaged(String reason) throws IOException {
    StateFile.Loaded<String> loaded = file().load(TEXT, null, FALLBACK);
    assertThat(loaded.status()).isEqualTo(StateFile.Status.DAMAGED);
    assertThat(loaded.value()).isNull();
    assertThat(logged).singleElement().satisfies(r -> assertThat(r.getMessage()).contains(reason));
    assertThat(siblings()).containsExactly("marks.tsv.corrupt-20261204T101530Z");
  }

  private List<String> siblings() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
