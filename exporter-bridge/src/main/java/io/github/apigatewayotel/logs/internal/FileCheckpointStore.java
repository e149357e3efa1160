package io.github.apigatewayotel.logs.internal;

import io.github.apigatewayotel.state.StateFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Properties;

/**
 * Persists how far a file has been read: the byte offset after the last emitted line and the
 * identity of the file it applies to, in a {@link StateFile} (atomic, durable, damage detected). A
 * damaged checkpoint is set aside and the file is read again from its start: lines already sent are
 * sent again, none is lost. Checkpoints of the previous version (a bare properties file) are still
 * read.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class FileCheckpointStore {

  /** What happens after a damaged checkpoint, for the one line {@link StateFile} logs. */
  private static final String FALLBACK =
      "the file is read again from its start (lines already sent are sent again, none is lost)";

  /**
   * A saved position. {@code previousKey} is the file-system key of the file rotated away last
   * before this one ("" when none), remembered past its grace period: late lines its writer appends
   * may make it newer than the checkpoint without it holding anything unread (lines after the grace
   * period are the documented loss). {@code savedAt} is when it was saved, by the file system's
   * clock (the checkpoint file's time) when it was loaded.
   */
  public record Checkpoint(
      FileIdentity identity, long offset, String previousKey, FileTime savedAt) {}

  private final StateFile state;
  private final String source;

  public FileCheckpointStore(Path stateDirectory, Path source) {
    this.source = source.toAbsolutePath().normalize().toString();
    this.state =
        StateFile.of(
            stateDirectory.resolve("file-" + shortHash(this.source) + ".checkpoint"),
            "file-checkpoint");
  }

  /**
   * The saved checkpoint: its value is null when there is none, when it belongs to another path, or
   * when it was damaged (then logged and set aside).
   *
   * @throws IOException when the checkpoint cannot be read at all
   */
  public StateFile.Loaded<Checkpoint> load() throws IOException {
    StateFile.Loaded<Checkpoint> loaded =
        state.load(this::readCurrent, this::readLegacy, "for " + source + ", " + FALLBACK);
    if (loaded.value() == null) {
      return loaded;
    }
    Checkpoint read = loaded.value();
    return new StateFile.Loaded<>(
        loaded.status(),
        new Checkpoint(read.identity(), read.offset(), read.previousKey(), loaded.savedAt()),
        loaded.savedAt());
  }

  private Checkpoint readCurrent(BufferedReader payload) throws IOException {
    Properties properties = new Properties();
    properties.load(payload);
    return fromProperties(properties);
  }

  /** The previous version's file: the same properties, written with {@code Properties.store}. */
  private Checkpoint readLegacy(InputStream file) throws IOException {
    Properties properties = new Properties();
    properties.load(file); // a malformed \\uxxxx escape throws IllegalArgumentException: damaged
    return fromProperties(properties);
  }

  /** Null for another path's checkpoint; throws when a field is missing or not a number. */
  private Checkpoint fromProperties(Properties properties) {
    String path = required(properties, "path");
    if (!source.equals(path)) {
      return null;
    }
    FileIdentity identity =
        new FileIdentity(
            properties.getProperty("fileKey", ""),
            Integer.parseInt(required(properties, "headLength")),
            Long.parseLong(required(properties, "headHash")));
    long offset = Long.parseLong(required(properties, "offset"));
    if (offset < 0) {
      throw new IllegalArgumentException("negative offset " + offset);
    }
    return new Checkpoint(identity, offset, properties.getProperty("previousKey", ""), null);
  }

  private static String required(Properties properties, String key) {
    String value = properties.getProperty(key);
    if (value == null) {
      throw new IllegalArgumentException("no " + key);
    }
    return value;
  }

  public void save(Checkpoint checkpoint) throws IOException {
    Properties properties = new Properties();
    properties.setProperty("path", source);
    properties.setProperty("fileKey", checkpoint.identity().fileKey());
    properties.setProperty("headLength", Integer.toString(checkpoint.identity().headLength()));
    properties.setProperty("headHash", Long.toString(checkpoint.identity().headHash()));
    properties.setProperty("offset", Long.toString(checkpoint.offset()));
    properties.setProperty("previousKey", checkpoint.previousKey());
    state.save((Writer out) -> properties.store(out, "apigateway-otel file source checkpoint"));
  }

  public Path path() {
    return state.path();
  }

  private static String shortHash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
