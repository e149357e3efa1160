package io.github.apigatewayotel.logs;

import io.github.apigatewayotel.logs.internal.FileCheckpointStore;
import io.github.apigatewayotel.logs.internal.FileCheckpointStore.Checkpoint;
import io.github.apigatewayotel.logs.internal.FileIdentity;
import io.github.apigatewayotel.logs.internal.FollowedFile;
import io.github.apigatewayotel.logs.internal.LineCounters;
import io.github.apigatewayotel.state.StateFile;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.annotation.Nullable;

/**
 * The checkpoint of a {@link FileAccessLogSource}: the identity of the file read last and the
 * offset after its last delivered line, with the key of the file rotated away last, saved in the
 * state directory (or, without one, in memory, so a reopen after an error resumes from it).
 */
final class FileCheckpointKeeper {

  private static final Logger logger = Logger.getLogger(FileCheckpointKeeper.class.getName());
  static final String SOURCE_NAME = "file";

  /** Null without a state directory. */
  @Nullable private final FileCheckpointStore store;

  private final LineCounters counters;

  /**
   * The key of the last file rotated away from the path, kept past its grace period and saved with
   * each checkpoint: a restart must never take that file, written to late, for a file it has not
   * read (it was read, and its lines after the grace period are the documented loss).
   */
  private String rotatedAwayKey = "";

  /** The last checkpoint, kept in memory too: a reopen after an error resumes from it. */
  @Nullable private Checkpoint lastCheckpoint;

  FileCheckpointKeeper(@Nullable Path stateDirectory, Path file, LineCounters counters) {
    this.store = stateDirectory == null ? null : new FileCheckpointStore(stateDirectory, file);
    this.counters = counters;
  }

  String rotatedAwayKey() {
    return rotatedAwayKey;
  }

  /** {@code key} names the newest file rotated away from the path: its writer may still append. */
  void rotatedAway(String key) {
    rotatedAwayKey = key;
  }

  /**
   * The checkpoint to resume from: the saved one, or without a state directory the last one. Its
   * value is null when there is none, or when it was damaged (logged and set aside by the store).
   */
  StateFile.Loaded<Checkpoint> load() {
    if (store == null) {
      return new StateFile.Loaded<>(StateFile.Status.CURRENT, lastCheckpoint, null);
    }
    try {
      StateFile.Loaded<Checkpoint> loaded = store.load();
      if (loaded.damaged()) {
        counters.countSourceError(SOURCE_NAME);
      }
      return loaded;
    } catch (IOException e) {
      counters.countSourceError(SOURCE_NAME);
      logger.log(Level.WARNING, "Cannot read checkpoint " + store.path() + "; starting at 0", e);
      return new StateFile.Loaded<>(StateFile.Status.MISSING, null, null);
    }
  }

  /** Saves where {@code source} has been read to. */
  void save(FollowedFile source) {
    try {
      FileIdentity identity =
          source.readIdentity() != null ? source.readIdentity() : source.identity();
      String previousKey = source.key().equals(rotatedAwayKey) ? "" : rotatedAwayKey;
      lastCheckpoint =
          new Checkpoint(identity, source.offset(), previousKey, FileTime.from(Instant.now()));
      if (store != null) {
        store.save(lastCheckpoint);
      }
    } catch (IOException e) {
      counters.countSourceError(SOURCE_NAME);
      logger.log(Level.WARNING, "Cannot save checkpoint " + name(), e);
    }
  }

  /** Where the checkpoint is kept, for messages. */
  String name() {
    return store == null ? "memory" : store.path().toString();
  }
}
