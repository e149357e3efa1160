package io.github.apigatewayotel.logs.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads newline-terminated lines from a file channel, holding at most {@link
 * LineLimits#MAX_LINE_CHARS} bytes of any line in memory: the rest of a longer line is skipped and
 * the line flagged truncated. Bytes are decoded as UTF-8 with replacement, and flagged when they
 * were not valid UTF-8. A trailing CR (CRLF files) is dropped.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class BoundedLineReader {

  private static final int CHUNK_BYTES = 64 * 1024;

  /** Receives each line. */
  public interface LineConsumer {
    void line(String text, boolean invalidUtf8, boolean truncated);
  }

  private final ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES);
  private byte[] line = new byte[1024];
  private int linesRead;
  private long lineEnd;

  /** Whether the line last decoded held bytes that are not UTF-8. */
  private boolean invalidUtf8;

  /**
   * Reads lines from {@code offset} to the end of the channel. A final line without a newline is
   * delivered only when {@code finalLineComplete} (the file is finished); otherwise it is left for
   * the next read. Returns the offset after the last delivered line.
   */
  public long read(FileChannel channel, long offset, boolean finalLineComplete, LineConsumer out)
      throws IOException {
    return read(channel, offset, finalLineComplete, Integer.MAX_VALUE, out);
  }

  /**
   * As {@link #read(FileChannel, long, boolean, LineConsumer)}, but stops after {@code maxLines}
   * lines, so a source can confirm and checkpoint a long backlog piece by piece. {@link
   * #linesRead()} tells how many lines the call delivered.
   */
  public long read(
      FileChannel channel, long offset, boolean finalLineComplete, int maxLines, LineConsumer out)
      throws IOException {
    linesRead = 0;
    long position = offset;
    long lineStart = offset;
    int lineLength = 0;
    boolean truncated = false;
    while (true) {
      chunk.clear();
      int read = channel.read(chunk, position);
      if (read <= 0) {
        break;
      }
      byte[] bytes = chunk.array();
      for (int i = 0; i < read; i++) {
        byte b = bytes[i];
        if (b == '\n') {
          lineEnd = position + i + 1;
          out.line(decode(lineLength), invalidUtf8, truncated);
          lineStart = lineEnd;
          lineLength = 0;
          truncated = false;
          if (++linesRead >= maxLines) {
            return lineStart;
          }
        } else if (lineLength < LineLimits.MAX_LINE_CHARS) {
          append(b, lineLength++);
        } else {
          truncated = true;
        }
      }
      position += read;
    }
    if (finalLineComplete && (lineLength > 0 || truncated)) {
      lineEnd = position;
      out.line(decode(lineLength), invalidUtf8, truncated);
      linesRead++;
      lineStart = position;
    }
    return lineStart;
  }

  /** While a line is being delivered: the offset just after it (its newline included). */
  public long lineEnd() {
    return lineEnd;
  }

  /** Lines delivered by the last {@code read}. */
  public int linesRead() {
    return linesRead;
  }

  private void append(byte b, int index) {
    if (index == line.length) {
      byte[] grown = new byte[Math.min(line.length * 2, LineLimits.MAX_LINE_CHARS)];
      System.arraycopy(line, 0, grown, 0, line.length);
      line = grown;
    }
    line[index] = b;
  }

  /** Decodes the buffered line and sets {@link #invalidUtf8} for it. */
  private String decode(int length) {
    if (length > 0 && line[length - 1] == '\r') {
      length--;
    }
    String text = new String(line, 0, length, StandardCharsets.UTF_8);
    invalidUtf8 = text.indexOf('\uFFFD') >= 0 && !strictlyValid(length);
    return text;
  }

  /** Only a line holding U+FFFD pays for a strict check: it may have been written as such. */
  private boolean strictlyValid(int length) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(line, 0, length));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
