package io.github.apigatewayotel.logs;

import io.github.apigatewayotel.logs.internal.FileCheckpointStore.Checkpoint;
import io.github.apigatewayotel.logs.internal.FileIdentity;
import io.github.apigatewayotel.logs.internal.FollowedFile;
import io.github.apigatewayotel.logs.internal.RotatedFileFinder;
import io.github.apigatewayotel.logs.internal.RotatedFileFinder.Sibling;
import io.github.apigatewayotel.state.StateFile;
import io.github.apigatewayotel.state.internal.OnceLogger;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.annotation.Nullable;

/**
 * Reads API Gateway access-log lines from a file (one line per record) into an {@link
 * AccessLogBridge}: once ({@link #readToEnd()}), or following the file like {@code tail -F} ({@link
 * #start}), surviving truncation and rotation. With a state directory it checkpoints the offset
 * after the last emitted line together with the file's identity, so a restart resumes there: no
 * line lost, none repeated (a crash between emitting and saving may repeat the lines of that one
 * read). Files are tracked by identity, not by name: a checkpointed file rotated away while
 * stopped, or the copy {@code copytruncate} made, is found next to the path ({@link
 * RotatedFileFinder}) and its unread lines are read before the file now at the path.
 */
public final class FileAccessLogSource implements Closeable {

  /** Default poll interval of follow mode. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);

  /**
   * How long a file rotated away from the path is still read for lines its writer appends late. A
   * writer keeps writing to the renamed file until it reopens the path: logrotate signals it only
   * after the rename (nginx then finishes its open buffers, flushed every few seconds with {@code
   * flush=}), and a writer may buffer its own output. Fluent Bit waits 5 s by default ({@code
   * Rotate_Wait}); 30 s also covers a slow postrotate script and several flushes, and costs only
   * one open descriptor. Counted in polls (at least one), so it never depends on the clock.
   */
  static final Duration ROTATED_FILE_GRACE = Duration.ofSeconds(30);

  private static final Logger logger = Logger.getLogger(FileAccessLogSource.class.getName());
  private static final String SOURCE_NAME = FileCheckpointKeeper.SOURCE_NAME;

  /** The problem of a path that names no file (yet). */
  private static final String MISSING = "missing";

  private final Path file;
  private final AccessLogBridge bridge;
  private final FileCheckpointKeeper checkpointKeeper;
  private final Duration pollInterval;
  private final long rotatedFileGracePolls;
  private final RotatedFileFinder finder;
  private final DeliveredLineReader reader;
  private final OnceLogger once = new OnceLogger(logger);

  /** The file at the path; the checkpoint names it once it has been read. */
  @Nullable private FollowedFile current;

  /**
   * A file the path named before, still read for late lines until {@link #rotatedPollsLeft} runs
   * out. Not checkpointed: the checkpoint names one file, and it has moved on to {@link #current}.
   * So a crash (or close) during the grace period loses at most the lines appended to this file
   * after the rotation that were not read yet; it never repeats one.
   */
  @Nullable private FollowedFile rotated;

  private long rotatedPollsLeft;
  private boolean closed;

  /** Set before {@link #close()} takes the lock, so a read waiting for delivery lets go. */
  private volatile boolean closing;

  @Nullable private ScheduledFuture<?> task;

  FileAccessLogSource(FileAccessLogSourceBuilder builder) {
    this.file = builder.file;
    this.bridge = builder.bridge;
    this.checkpointKeeper =
        new FileCheckpointKeeper(builder.stateDirectory, builder.file, builder.bridge.counters());
    this.pollInterval = builder.pollInterval;
    long pollNanos = builder.pollInterval.toNanos();
    this.rotatedFileGracePolls =
        Math.max(1, (ROTATED_FILE_GRACE.toNanos() + pollNanos - 1) / pollNanos);
    this.finder = new RotatedFileFinder(builder.file);
    this.reader =
        new DeliveredLineReader(
            builder.bridge,
            builder.format != null ? builder.format : builder.bridge.format(),
            LogOrigin.file(builder.file.toString()),
            checkpointKeeper,
            () -> closing);
  }

  /** A builder reading {@code file} into {@code bridge}. */
  public static FileAccessLogSourceBuilder builder(Path file, AccessLogBridge bridge) {
    return new FileAccessLogSourceBuilder(
        Objects.requireNonNull(file, "file"), Objects.requireNonNull(bridge, "bridge"));
  }

  /**
   * Reads from the checkpoint (or the beginning) to the end of the file, emitting each line, and
   * saves the checkpoint. The end of the file ends the last line even without a newline. A file
   * rotated away is read to its end and closed at once. Returns the number of lines emitted; 0 when
   * the file is missing (logged). Never throws.
   */
  public synchronized long readToEnd() {
    return poll(true);
  }

  /**
   * Follows the file on {@code executor} every poll interval until {@link #close()}: new lines are
   * emitted once complete (newline-terminated); a truncated file is read again from its start
   * (after the rest of its copy, when {@code copytruncate} left one next to it); a file replaced
   * under the same path (rotation) is read to its end, then the new one from its start, and the old
   * one is still read for late lines for {@link #ROTATED_FILE_GRACE}. The task never throws.
   */
  public synchronized void start(ScheduledExecutorService executor) {
    Objects.requireNonNull(executor, "executor");
    if (closed) {
      throw new IllegalStateException("FileAccessLogSource for " + file + " is closed");
    }
    if (task != null) {
      throw new IllegalStateException("FileAccessLogSource for " + file + " is already started");
    }
    task =
        executor.scheduleWithFixedDelay(
            this::pollQuietly, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops following and releases the files; the checkpoint was saved after each piece read. */
  @Override
  public void close() {
    closing = true;
    closeLocked();
  }

  private synchronized void closeLocked() {
    if (closed) {
      return;
    }
    closed = true;
    if (task != null) {
      task.cancel(false);
    }
    closeFiles();
  }

  /** One poll of follow mode, as the scheduled task runs it: for tests driving polls. */
  synchronized long pollOnce() {
    return closed ? 0 : poll(false);
  }

  /** Whether a rotated file is still held open for late lines: for tests. */
  synchronized boolean holdsRotatedFile() {
    return rotated != null;
  }

  /** How many polls a rotated file is still read for: for tests. */
  long rotatedFileGracePolls() {
    return rotatedFileGracePolls;
  }

  private void pollQuietly() {
    try {
      synchronized (this) {
        if (!closed) {
          poll(false);
        }
      }
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable t) {
      // Throwing would silently cancel the scheduled task; log and try again next interval.
      bridge.counters().countSourceError(SOURCE_NAME);
      logger.log(Level.WARNING, "Reading access logs from " + file + " failed; will retry", t);
    }
  }

  /**
   * One read: the file at the path (opening it, resuming or following a rotation), then late lines
   * of a rotated file, then the file at the path from where it was left. Each step returns false
   * when closing interrupted it or there is nothing to read.
   */
  private long poll(boolean finalLineComplete) {
    long[] emitted = {0};
    try {
      if (followPath(emitted) && drainRotated(finalLineComplete, emitted) && current != null) {
        if (current.wasTruncated()) {
          if (!readCopyOfTruncated(emitted)) {
            return emitted[0];
          }
          logger.log(Level.INFO, "{0} was truncated; reading it again from the start", file);
          current.seek(0);
        }
        reader.read(current, finalLineComplete, true, emitted);
      }
      return emitted[0];
    } catch (IOException | RuntimeException e) {
      bridge.counters().countSourceError(SOURCE_NAME);
      logger.log(Level.WARNING, "Reading access logs from " + file + " failed", e);
      closeFiles();
      return emitted[0];
    }
  }

  /**
   * Makes {@link #current} the file now at the path. When the path names a new file, the old one is
   * read to its end first and becomes the {@link #rotated} file. Returns false when there is
   * nothing to read or closing interrupted a read.
   */
  private boolean followPath(long[] emitted) throws IOException {
    String pathKey;
    try {
      pathKey = FileIdentity.fileKey(file);
    } catch (NoSuchFileException e) {
      once.log(Level.INFO, MISSING, "Access log file " + file + " does not exist (yet)", null);
      return current != null || rotated != null;
    }
    once.clear(MISSING);
    if (current != null && !current.key().equals(pathKey)) {
      logger.log(Level.INFO, "{0} was rotated; reading the new file from its start", file);
      FollowedFile old = current;
      current = null;
      if (!handOver(old, emitted)) {
        return false; // closing before the old file's lines were delivered: its checkpoint holds
      }
      current = FollowedFile.open(file, pathKey); // from its start: the checkpoint names the old
      return true;
    }
    if (current == null) {
      current = FollowedFile.open(file, pathKey);
      return resume(emitted);
    }
    return true;
  }

  /**
   * Reads a file the path no longer names to its end (complete lines, checkpointed: the checkpoint
   * still names it), then keeps it as the {@link #rotated} file for the grace period. A file
   * rotated before it, still in its grace period, is finished first.
   */
  private boolean handOver(FollowedFile old, long[] emitted) throws IOException {
    if (rotated != null && !finishRotated(emitted)) {
      closeQuietly(old);
      return false;
    }
    rotated = old;
    checkpointKeeper.rotatedAway(old.key());
    // + 1: the poll handing over drains it once more; the grace period is the polls after it.
    rotatedPollsLeft = rotatedFileGracePolls + 1;
    return reader.read(rotated, false, true, emitted);
  }

  /**
   * Positions {@link #current}, just opened: at the checkpoint when it names this file. Otherwise
   * the checkpointed file was rotated away (renamed, or copied and truncated): when it is found
   * next to the path, the rest of it is read first; when not, its unread end is lost (logged and
   * counted) and the new file is read from its start.
   */
  private boolean resume(long[] emitted) throws IOException {
    StateFile.Loaded<Checkpoint> loaded = checkpointKeeper.load();
    Checkpoint checkpoint = loaded.value();
    if (checkpoint == null) {
      // After a damaged checkpoint, the files rotated away since it was last saved may hold
      // unread lines too: read them whole before the file at the path, from its start.
      return !loaded.damaged()
          || readNewerSiblings(loaded.savedAt(), true, Set.of(current.key()), emitted);
    }
    FileIdentity identity = checkpoint.identity();
    long offset = checkpoint.offset();
    checkpointKeeper.rotatedAway(checkpoint.previousKey());
    if (identity.sameFileAs(current.key(), current.channel()) && offset <= current.size()) {
      current.seek(offset);
      // No first bytes: the file may have been copied and truncated since. Copies are the files
      // written since the checkpoint, bar the file rotated away last: it was read, and what its
      // writer appended past the grace period is the documented loss, not an unread file.
      return identity.headLength() > 0
          || readNewerSiblings(
              checkpoint.savedAt(),
              true,
              Set.copyOf(List.of(current.key(), checkpoint.previousKey())),
              emitted);
    }
    boolean truncatedInPlace = identity.fileKey().equals(current.key());
    FollowedFile earlier =
        truncatedInPlace ? finder.findCopy(identity, offset) : finder.findRenamed(identity, offset);
    if (earlier == null) {
      bridge.counters().countSourceError(SOURCE_NAME);
      logger.log(
          Level.INFO,
          "{0} is not the file checkpointed in {1} ({2} at offset {3}), and that file is not next"
              + " to it any more: its unread end, if any, is lost. Reading {0} from the start",
          new Object[] {file, checkpointKeeper.name(), identity, offset});
      return true;
    }
    logger.log(
        Level.INFO,
        "{0} was rotated while stopped; reading the rest of the checkpointed file, now {1}, from"
            + " offset {2} first",
        new Object[] {file, earlier.path(), offset});
    earlier.seek(offset);
    Set<String> read = Set.copyOf(List.of(current.key(), earlier.key(), checkpoint.previousKey()));
    FileTime earlierModified = Files.getLastModifiedTime(earlier.path());
    boolean finished = truncatedInPlace ? readCopy(earlier, emitted) : handOver(earlier, emitted);
    // Rotated again since: the files in between, never those rotated before it (read already).
    return finished && readNewerSiblings(earlierModified, false, read, emitted);
  }

  /**
   * Reads whole, oldest first, each file rotated away from the path after {@code since} that is
   * none of {@code excludedKeys}: the files between the checkpointed one and the file at the path
   * when it was rotated more than once while stopped. Checkpointed like any piece.
   */
  private boolean readNewerSiblings(
      FileTime since, boolean inclusive, Set<String> excludedKeys, long[] emitted)
      throws IOException {
    for (Sibling sibling : finder.newerSiblings(since, inclusive, excludedKeys)) {
      FollowedFile next = RotatedFileFinder.openIfStillThere(sibling);
      if (next == null) {
        continue; // renamed over or removed since it was listed: a later search finds it
      }
      logger.log(
          Level.INFO,
          "{0} was rotated while stopped; reading {1}, written since, whole first",
          new Object[] {file, sibling.path()});
      if (!readCopy(next, emitted)) {
        return false;
      }
      checkpointKeeper.rotatedAway(
          next.key()); // the newest file rotated away now: its writer may still append
    }
    return true;
  }

  /**
   * After {@link #current} was truncated: reads the rest of the copy {@code copytruncate} made of
   * it, from where the file had been read, when it is found next to the path. What the writer wrote
   * between the copy and the truncation is in neither file: that loss is inherent.
   */
  private boolean readCopyOfTruncated(long[] emitted) throws IOException {
    FileIdentity lastRead = current.readIdentity();
    FollowedFile copy = lastRead == null ? null : finder.findCopy(lastRead, current.offset());
    if (copy == null) {
      return true;
    }
    logger.log(
        Level.INFO,
        "{0} was truncated; reading the rest of its copy {1} from offset {2} first",
        new Object[] {file, copy.path(), current.offset()});
    copy.seek(current.offset());
    return readCopy(copy, emitted);
  }

  /**
   * Reads a copy to its end (nobody writes to it) and closes it. Checkpointed: a restart finds it
   * by that identity and neither repeats nor loses its lines.
   */
  private boolean readCopy(FollowedFile copy, long[] emitted) throws IOException {
    try {
      return reader.read(copy, true, true, emitted);
    } finally {
      closeQuietly(copy);
    }
  }

  /**
   * Reads what the writer appended to the {@link #rotated} file since the last poll; when its grace
   * period is over (or when reading once) reads it to its very end and closes it.
   */
  private boolean drainRotated(boolean finalLineComplete, long[] emitted) throws IOException {
    if (rotated == null) {
      return true;
    }
    if (finalLineComplete || --rotatedPollsLeft <= 0) {
      return finishRotated(emitted);
    }
    return reader.read(rotated, false, false, emitted);
  }

  private boolean finishRotated(long[] emitted) throws IOException {
    if (!reader.read(rotated, true, false, emitted)) {
      return false;
    }
    logger.log(
        Level.FINE, "Done with {0}, rotated away from {1}", new Object[] {rotated.path(), file});
    closeQuietly(rotated);
    rotated = null;
    return true;
  }

  /**
   * Closes both files. The checkpoint is not saved here: every piece read saved it, and a position
   * set but not read from yet (a truncated file at 0, say) must not replace it, or a restart would
   * skip what it names (the rest of a copy).
   */
  private void closeFiles() {
    if (current != null) {
      closeQuietly(current);
      current = null;
    }
    if (rotated != null) {
      closeQuietly(rotated);
      rotated = null;
    }
  }

  private void closeQuietly(FollowedFile followed) {
    try {
      followed.close();
    } catch (IOException e) {
      logger.log(Level.FINE, "Closing " + followed.path() + " of " + file, e);
    }
  }
}
