package io.github.apigatewayotel.logs.internal.cloudwatch;

import io.github.apigatewayotel.state.StateFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Persists one {@link GroupCheckpoint} per (region, log group) as a {@link StateFile} in the state
 * directory: replaced atomically and durably, so a crash leaves either the old or the new
 * checkpoint, never half of one, and a damaged one is detected, logged and set aside. Checkpoints
 * of the previous version (the same text without the envelope) are still read. Without a directory
 * nothing is persisted and a restart starts over from the lookback.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class CheckpointStore {

  /** Group names may hold characters a file name may not; a hash keeps sanitized names unique. */
  private static final int HASH_HEX_CHARS = 12;

  private static final int MAX_READABLE_NAME_CHARS = 80;
  private static final String KIND = "cloudwatch-logs-checkpoint";

  private final Path directory;
  private final String region;

  /** In fleet mode (issue 18), the fleet's DynamoDB table instead of files; else null. */
  private final SharedGroupCheckpoints shared;

  private CheckpointStore(Path directory, String region) {
    this(directory, region, null);
  }

  private CheckpointStore(Path directory, String region, SharedGroupCheckpoints shared) {
    this.directory = directory;
    this.region = region == null || region.isEmpty() ? "default" : region;
    this.shared = shared;
  }

  /** A store in the fleet's DynamoDB table, each group's checkpoint fenced by its shard's lease. */
  public static CheckpointStore shared(FleetGroups groups) {
    return new CheckpointStore(null, null, new SharedGroupCheckpoints(groups));
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
    return directory != null || shared != null;
  }

  /**
   * The stored checkpoint of a group: missing, read, or damaged (logged with {@code fallback}, what
   * the reader does instead, and set aside; {@link StateFile.Loaded#savedAt} says when it was last
   * written).
   *
   * @throws IOException if the file exists but cannot be read at all
   */
  public StateFile.Loaded<GroupCheckpoint> load(String logGroup, String fallback)
      throws IOException {
    if (shared != null) {
      GroupCheckpoint checkpoint = shared.load(logGroup);
      return new StateFile.Loaded<>(
          checkpoint == null ? StateFile.Status.MISSING : StateFile.Status.CURRENT,
          checkpoint,
          null);
    }
    if (directory == null) {
      return new StateFile.Loaded<>(StateFile.Status.MISSING, null, null);
    }
    return stateOf(logGroup)
        .load(
            payload -> CheckpointCodec.decode(logGroup, payload),
            file -> CheckpointCodec.decode(logGroup, strictUtf8(file)),
            fallback);
  }

  /** Replaces the stored checkpoint of a group atomically. */
  public void save(String logGroup, GroupCheckpoint checkpoint) throws IOException {
    if (shared != null) {
      shared.save(logGroup, checkpoint);
      return;
    }
    if (directory == null) {
      return;
    }
    stateOf(logGroup).save(out -> out.write(CheckpointCodec.encode(logGroup, checkpoint)));
  }

  private StateFile stateOf(String logGroup) {
    return StateFile.of(fileOf(logGroup), KIND);
  }

  /** The previous version's file, whose bytes must be UTF-8. */
  private static BufferedReader strictUtf8(InputStream file) {
    return new BufferedReader(
        new InputStreamReader(
            file,
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)));
  }

  /** The file of a group: readable, and unique thanks to a hash of region and name. */
  Path fileOf(String logGroup) {
    String readable = (region + "-" + logGroup).replaceAll("[^A-Za-z0-9._-]", "_");
    if (readable.length() > MAX_READABLE_NAME_CHARS) {
      readable = readable.substring(0, MAX_READABLE_NAME_CHARS);
    }
    return directory.resolve(
        "cloudwatch-" + readable + "-" + hash(region + "\n" + logGroup) + ".checkpoint");
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
