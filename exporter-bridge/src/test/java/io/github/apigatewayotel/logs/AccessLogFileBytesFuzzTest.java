package io.github.apigatewayotel.logs;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.apigatewayotel.logs.internal.BoundedLineReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Raw bytes (invalid UTF-8, CRLF, several lines) through the file source's path: the bytes are
 * written to a file, read by {@link BoundedLineReader} as {@link FileAccessLogSource} reads them,
 * and each line emitted with its flags. One record per line, and the checks of {@link
 * FuzzedBridge}.
 */
class AccessLogFileBytesFuzzTest {

  private static final Path FILE = createFile();

  private final FuzzedBridge bridge = new FuzzedBridge();
  private final BoundedLineReader reader = new BoundedLineReader();

  @FuzzTest(maxDuration = "20s")
  void everyLineOfTheFileBecomesOneRecord(byte[] input) throws IOException {
    if (input.length == 0) {
      return;
    }
    // First byte: the named format, as in FuzzInputs; the rest is the file's bytes.
    AccessLogFormat format =
        AccessLogFormat.of(
            FuzzedBridge.NAMED_FORMATS.get(
                Math.floorMod(input[0] - '0', FuzzedBridge.NAMED_FORMATS.size())));
    Files.write(FILE, Arrays.copyOfRange(input, 1, input.length));
    long before = bridge.records();
    try (FileChannel channel = FileChannel.open(FILE, StandardOpenOption.READ)) {
      reader.read(
          channel,
          0,
          true,
          (line, invalidUtf8, truncated) -> bridge.emit(format, line, invalidUtf8, truncated));
    }
    long expected = linesIn(input);
    if (bridge.records() - before != expected) {
      throw new AssertionError(
          "expected " + expected + " records, got " + (bridge.records() - before));
    }
  }

  /** Newline-terminated lines plus a final unterminated one (the file is complete). */
  private static long linesIn(byte[] input) {
    long lines = 0;
    int lastNewline = 0;
    for (int i = 1; i < input.length; i++) {
      if (input[i] == '\n') {
        lines++;
        lastNewline = i;
      }
    }
    return lastNewline < input.length - 1 ? lines + 1 : lines;
  }

  private static Path createFile() {
    try {
      Path file = Files.createTempFile("access-log-fuzz", ".log");
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
