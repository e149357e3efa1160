package io.github.apigatewayotel.logs.internal.cloudwatch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Persists one {@link GroupCheckpoint} per (region, log group) as a file in the state directory,
 * replaced atomically (written to a temporary file in the same directory, then moved over the old
 * one), so a crash leaves either the old or the new checkpoint, never half of one. Without a
 * directory nothing is persisted and a restart starts over from the lookback.
 */
public final class CheckpointStore {

  /** Group names may hold characters a file name may not; a hash keeps sanitized names unique. */
  private static final int HASH_HEX_CHARS = 12;

  private static final int MAX_READABLE_NAME_CHARS = 80;

  private final Path directory;
  private final String region;

  private CheckpointStore(Path directory, String region) {
    this.directory = directory;
    this.region = region == null || region.isEmpty() ? "default" : region;
  }

  /** A store that persists nothing. */
  public static CheckpointStore none() {
    return new CheckpointStore(null, null);
  }

  /** A store of files in {@code directory} (created when first written) for {@code region}. */
  public static CheckpointStore inDirectory(Path directory, String region) {
    return new CheckpointStore(directory, region);
  }

  public boolean isPersistent() {
    return directory != null;
  }

  /**
   * The stored checkpoint of a group, if any.
   *
   * @throws IOException if the file exists but cannot be read
   * @throws IllegalArgumentException if the file is not a checkpoint of this group
   */
  public Optional<GroupCheckpoint> load(String logGroup) throws IOException {
    if (directory == null) {
      return Optional.empty();
    }
    try {
      String text = Files.readString(fileOf(logGroup), StandardCharsets.UTF_8);
      return Optional.of(CheckpointCodec.decode(logGroup, text));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Replaces the stored checkpoint of a group atomically. */
  public void save(String logGroup, GroupCheckpoint checkpoint) throws IOException {
    if (directory == null) {
      return;
    }
    Files.createDirectories(directory);
    Path target = fileOf(logGroup);
    Path temporary = Files.createTempFile(directory, target.getFileName().toString(), ".tmp");
    try {
      Files.writeString(temporary, CheckpointCodec.encode(logGroup, checkpoint));
      try {
        Files.move(
            temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /** The file of a group: readable, and unique thanks to a hash of region and name. */
  Path fileOf(String logGroup) {
    String readable = (region + "-" + logGroup).replaceAll("[^A-Za-z0-9._-]", "_");
    if (readable.length() > MAX_READABLE_NAME_CHARS) {
      readable = readable.substring(0, MAX_READABLE_NAME_CHARS);
    }
    return directory.resolve("cloudwatch-" + readable + "-" + hash(region + "\n" + logGroup)
        + ".checkpoint");
  }

  private static String hash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, HASH_HEX_CHARS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
