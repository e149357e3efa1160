package io.github.apigatewayotel.logs.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Properties;

/**
 * Persists how far a file has been read: the byte offset after the last emitted line and the
 * identity of the file it applies to. Written to a temporary file and renamed over the old one,
 * so a crash leaves either the old or the new checkpoint, never half of one.
 */
public final class FileCheckpointStore {

  /**
   * A saved position. {@code previousKey} is the file-system key of the file rotated away last
   * before this one ("" when none), remembered past its grace period: late lines its writer
   * appends may make it newer than the checkpoint without it holding anything unread (lines after
   * the grace period are the documented loss). {@code savedAt} is when it was saved, by the file
   * system's clock (the checkpoint file's time) when it was loaded.
   */
  public record Checkpoint(
      FileIdentity identity, long offset, String previousKey, FileTime savedAt) {}

  private final Path checkpointFile;
  private final String source;

  public FileCheckpointStore(Path stateDirectory, Path source) {
    this.source = source.toAbsolutePath().normalize().toString();
    this.checkpointFile = stateDirectory.resolve("file-" + shortHash(this.source) + ".checkpoint");
  }

  /** The saved checkpoint, or null when there is none (or it is unreadable, which is logged). */
  public Checkpoint load() throws IOException {
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(checkpointFile)) {
      properties.load(in);
    } catch (NoSuchFileException e) {
      return null;
    }
    if (!source.equals(properties.getProperty("path"))) {
      return null;
    }
    try {
      FileIdentity identity =
          new FileIdentity(
              properties.getProperty("fileKey", ""),
              Integer.parseInt(properties.getProperty("headLength")),
              Long.parseLong(properties.getProperty("headHash")));
      return new Checkpoint(
          identity,
          Long.parseLong(properties.getProperty("offset")),
          properties.getProperty("previousKey", ""),
          Files.getLastModifiedTime(checkpointFile));
    } catch (NumberFormatException | NullPointerException e) {
      throw new IOException("corrupt checkpoint " + checkpointFile, e);
    }
  }

  public void save(Checkpoint checkpoint) throws IOException {
    Files.createDirectories(checkpointFile.getParent());
    Properties properties = new Properties();
    properties.setProperty("path", source);
    properties.setProperty("fileKey", checkpoint.identity().fileKey());
    properties.setProperty("headLength", Integer.toString(checkpoint.identity().headLength()));
    properties.setProperty("headHash", Long.toString(checkpoint.identity().headHash()));
    properties.setProperty("offset", Long.toString(checkpoint.offset()));
    properties.setProperty("previousKey", checkpoint.previousKey());
    Path temporary = checkpointFile.resolveSibling(checkpointFile.getFileName() + ".tmp");
    try (OutputStream out = Files.newOutputStream(temporary)) {
      properties.store(out, "apigateway-otel file source checkpoint");
    }
    try {
      Files.move(
          temporary,
          checkpointFile,
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, checkpointFile, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  public Path path() {
    return checkpointFile;
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
