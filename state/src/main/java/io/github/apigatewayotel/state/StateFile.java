package io.github.apigatewayotel.state;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;
import java.util.logging.Logger;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;

/**
 * One file of persisted state (a checkpoint, the metric marks) that survives a crash at any moment
 * and tells damage from data.
 *
 * <p>Written whole to a temporary file beside it, forced to disk, renamed over the old one and the
 * directory forced too: after a crash, power loss included, the file is the old one or the new one,
 * never a mix. A write that fails (a full disk) removes its temporary file and leaves the old one
 * as it was.
 *
 * <p>Format: a header line naming the kind of state and the format version, the payload (UTF-8
 * text, the owner's format), and a fixed-size end line with the payload's length and CRC-32:
 *
 * <pre>
 * apigateway-otel-state file-checkpoint 2
 * ...payload...
 * end 00000000000000b4 9a3c01f2
 * </pre>
 *
 * An empty, truncated, zero-filled or overwritten file, or one with a single changed byte, is
 * damaged: {@link #load} logs one line naming the file, what is wrong with it and what happens
 * instead (the owner's fallback), renames it to {@code NAME.corrupt-TIMESTAMP} beside it (kept for
 * a post-mortem, never read again) and reports it, with the time it was last written. A file the
 * previous version wrote (no header) is read by the owner's reader of that format, and damaged when
 * that fails; the next save writes the current format.
 */
public final class StateFile {

  /** Version of the envelope (header and end line) written by {@link #save}. */
  static final int VERSION = 2;

  private static final Logger logger = Logger.getLogger(StateFile.class.getName());
  private static final String MAGIC = "apigateway-otel-state";

  /** "end " + 16 hex digits + " " + 8 hex digits + "\n". */
  static final int END_LINE_BYTES = 30;

  private static final int MAX_HEADER_BYTES = 256;
  private static final DateTimeFormatter SET_ASIDE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** Reads the payload of the current format. */
  @FunctionalInterface
  public interface PayloadReader<T> {
    /** Throws (an IOException or any RuntimeException) when the payload is not what it expects. */
    T read(BufferedReader payload) throws IOException;
  }

  /** Reads a whole file the previous version wrote, in its own encoding. */
  @FunctionalInterface
  public interface LegacyReader<T> {
    /** Throws (an IOException or any RuntimeException) when the file is not what it expects. */
    T read(InputStream file) throws IOException;
  }

  /** Writes the payload. */
  @FunctionalInterface
  public interface PayloadWriter {
    void write(Writer payload) throws IOException;
  }

  /** How files are opened: the file system's channels, or a test's. */
  @FunctionalInterface
  interface ChannelOpener {
    FileChannel open(Path path, OpenOption... options) throws IOException;
  }

  /** What {@link #load} found. */
  public enum Status {
    /** No file: nothing was saved yet. */
    MISSING,
    /** A file of the current format. */
    CURRENT,
    /** A file the previous version wrote, read by the legacy reader. */
    LEGACY,
    /** A damaged file, now set aside. */
    DAMAGED
  }

  /**
   * The outcome of {@link #load}: the value read ({@code null} unless {@link Status#CURRENT} or
   * {@link Status#LEGACY}), and when the file was last written (also for a damaged one, for the
   * owner's fallback; null when missing).
   */
  public record Loaded<T>(Status status, T value, FileTime savedAt) {
    public boolean damaged() {
      return status == Status.DAMAGED;
    }
  }

  private final Path file;
  private final String kind;
  private final ChannelOpener opener;
  private final Clock clock;

  StateFile(Path file, String kind, ChannelOpener opener, Clock clock) {
    this.file = Objects.requireNonNull(file, "file");
    this.kind = requireKind(kind);
    this.opener = opener;
    this.clock = clock;
  }

  /**
   * The state file at {@code file}, holding state of {@code kind} (a word such as {@code marks}).
   */
  public static StateFile of(Path file, String kind) {
    return new StateFile(file, kind, FileChannel::open, Clock.systemUTC());
  }

  public Path path() {
    return file;
  }

  /**
   * Reads the file. A damaged one is logged once (with {@code fallback}: what the owner does
   * instead, e.g. "reading the file again from its start"), set aside, and reported as {@link
   * Status#DAMAGED}.
   *
   * @param legacy reads a file of the previous format; null when there is none
   * @throws IOException when the file cannot be read at all (permissions, an I/O error): nothing is
   *     known about its content, so it is left where it is
   */
  public <T> Loaded<T> load(PayloadReader<T> reader, LegacyReader<T> legacy, String fallback)
      throws IOException {
    FileChannel channel;
    try {
      channel = opener.open(file, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      return new Loaded<>(Status.MISSING, null, null);
    }
    FileTime savedAt;
    String damage;
    try (channel) {
      savedAt = Files.getLastModifiedTime(file);
      long size = channel.size();
      String header = readHeader(channel);
      if (size == 0) {
        damage = "it is empty";
      } else if (header != null && header.startsWith(MAGIC + " ")) {
        Outcome<T> outcome = readCurrent(channel, size, header, reader);
        if (outcome.damage == null) {
          return new Loaded<>(Status.CURRENT, outcome.value, savedAt);
        }
        damage = outcome.damage;
      } else if (legacy != null) {
        Outcome<T> outcome = readLegacy(channel, legacy);
        if (outcome.damage == null) {
          return new Loaded<>(Status.LEGACY, outcome.value, savedAt);
        }
        damage = outcome.damage;
      } else {
        damage = "it does not start with the header of a state file";
      }
    }
    setAside(damage, fallback);
    return new Loaded<>(Status.DAMAGED, null, savedAt);
  }

  /** A value, or why there is none. */
  private record Outcome<T>(T value, String damage) {
    static <T> Outcome<T> damaged(String damage) {
      return new Outcome<>(null, damage);
    }
  }

  /** The first line (without its newline), or null when there is no newline in the first bytes. */
  private static String readHeader(FileChannel channel) throws IOException {
    ByteBuffer start = ByteBuffer.allocate(MAX_HEADER_BYTES);
    channel.read(start, 0);
    start.flip();
    for (int i = 0; i < start.limit(); i++) {
      if (start.get(i) == '\n') {
        byte[] line = new byte[i];
        start.get(line);
        return new String(line, StandardCharsets.ISO_8859_1);
      }
    }
    return null;
  }

  private <T> Outcome<T> readCurrent(
      FileChannel channel, long size, String header, PayloadReader<T> reader) throws IOException {
    String[] parts = header.split(" ");
    if (parts.length != 3 || !parts[1].equals(kind)) {
      return Outcome.damaged("its header says it holds other state: '" + header + "'");
    }
    if (!parts[2].equals(Integer.toString(VERSION))) {
      return Outcome.damaged("its format version " + parts[2] + " is not " + VERSION);
    }
    long payloadStart = header.length() + 1L;
    long payloadLength = size - payloadStart - END_LINE_BYTES;
    if (payloadLength < 0) {
      return Outcome.damaged("it is truncated (" + size + " bytes, no end line)");
    }
    ByteBuffer end = ByteBuffer.allocate(END_LINE_BYTES);
    channel.read(end, size - END_LINE_BYTES);
    String endLine = new String(end.array(), 0, end.position(), StandardCharsets.ISO_8859_1);
    long length;
    long crc;
    try {
      if (!endLine.startsWith("end ") || endLine.charAt(20) != ' ' || !endLine.endsWith("\n")) {
        return Outcome.damaged("it is truncated or overwritten (no end line)");
      }
      length = Long.parseUnsignedLong(endLine.substring(4, 20), 16);
      crc = Long.parseLong(endLine.substring(21, 29), 16);
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      return Outcome.damaged("it is truncated or overwritten (no end line)");
    }
    if (length != payloadLength) {
      return Outcome.damaged(
          "it is truncated or was extended ("
              + payloadLength
              + " payload bytes, "
              + length
              + " written)");
    }
    if (checksum(channel, payloadStart, payloadLength) != crc) {
      return Outcome.damaged("its checksum does not match its content");
    }
    channel.position(payloadStart);
    InputStream payload = new BoundedInputStream(Channels.newInputStream(channel), payloadLength);
    try {
      return new Outcome<>(reader.read(new BufferedReader(strictUtf8(payload))), null);
    } catch (IOException | RuntimeException e) {
      return Outcome.damaged("its content cannot be read (" + e + ")");
    }
  }

  private static <T> Outcome<T> readLegacy(FileChannel channel, LegacyReader<T> legacy) {
    try {
      channel.position(0);
      return new Outcome<>(legacy.read(Channels.newInputStream(channel)), null);
    } catch (IOException | RuntimeException e) {
      return Outcome.damaged("it is not a readable file of the previous format either (" + e + ")");
    }
  }

  private static long checksum(FileChannel channel, long start, long length) throws IOException {
    CRC32 crc = new CRC32();
    ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    long position = start;
    long end = start + length;
    while (position < end) {
      buffer.clear();
      buffer.limit((int) Math.min(buffer.capacity(), end - position));
      int read = channel.read(buffer, position);
      if (read < 0) {
        break;
      }
      buffer.flip();
      crc.update(buffer);
      position += read;
    }
    return crc.getValue();
  }

  /** UTF-8 that fails on invalid bytes instead of replacing them. */
  private static Reader strictUtf8(InputStream in) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    return new InputStreamReader(in, decoder);
  }

  /**
   * Renames the damaged file to {@code NAME.corrupt-TIMESTAMP} and logs one line saying so and what
   * the owner does instead. When it cannot even be renamed, it is deleted: a file that is read as
   * damaged at every start would repeat the fallback at every start.
   */
  private void setAside(String damage, String fallback) {
    String stamp = SET_ASIDE_TIME.format(clock.instant());
    Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + stamp);
    for (int n = 2; Files.exists(aside); n++) {
      aside = file.resolveSibling(file.getFileName() + ".corrupt-" + stamp + "-" + n);
    }
    String where;
    try {
      Files.move(file, aside);
      where = "set aside as " + aside.getFileName();
    } catch (IOException e) {
      where = "could not be set aside (" + e + ")";
      try {
        Files.deleteIfExists(file);
        where += ", deleted";
      } catch (IOException again) {
        where += ", nor deleted";
      }
    }
    logger.warning(
        "apigateway-otel: state file "
            + file
            + " is damaged: "
            + damage
            + "; "
            + where
            + "; "
            + fallback);
  }

  /**
   * Replaces the file with {@code payload} atomically and durably. On failure the temporary file is
   * removed, the old file is untouched, and the exception propagates.
   */
  public void save(PayloadWriter payload) throws IOException {
    Path directory = file.toAbsolutePath().getParent();
    Files.createDirectories(directory);
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    boolean renamed = false;
    try {
      try (FileChannel channel =
          opener.open(
              temporary,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        OutputStream out = Channels.newOutputStream(channel);
        out.write((MAGIC + " " + kind + " " + VERSION + "\n").getBytes(StandardCharsets.US_ASCII));
        CountingOutputStream counted = new CountingOutputStream(out);
        CheckedOutputStream checked = new CheckedOutputStream(counted, new CRC32());
        Writer writer = new BufferedWriter(new OutputStreamWriter(checked, StandardCharsets.UTF_8));
        payload.write(writer);
        writer.flush();
        String end =
            String.format(
                Locale.ROOT, "end %016x %08x\n", counted.count(), checked.getChecksum().getValue());
        out.write(end.getBytes(StandardCharsets.US_ASCII));
        channel.force(true);
      }
      try {
        Files.move(
            temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
      }
      renamed = true;
      forceDirectory(directory);
    } finally {
      if (!renamed) {
        deleteQuietly(temporary);
      }
    }
  }

  /** Makes the rename durable; file systems that cannot open a directory (Windows) skip it. */
  private void forceDirectory(Path directory) {
    try (FileChannel channel = opener.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // The rename happened; only its durability across a power loss is not guaranteed here.
    }
  }

  private static void deleteQuietly(Path temporary) {
    try {
      Files.deleteIfExists(temporary);
    } catch (IOException e) {
      // The save failed already and says so; a leftover temporary file is overwritten next time.
    }
  }

  private static String requireKind(String kind) {
    Objects.requireNonNull(kind, "kind");
    if (!kind.matches("[a-z][a-z0-9-]*")) {
      throw new IllegalArgumentException("kind must be a lower-case word: '" + kind + "'");
    }
    return kind;
  }
}
