package io.github.apigatewayotel.logs;

import io.github.apigatewayotel.logs.internal.DeliveryBatch;
import io.github.apigatewayotel.logs.internal.BoundedLineReader;
import io.github.apigatewayotel.logs.internal.FileCheckpointStore;
import io.github.apigatewayotel.logs.internal.FileCheckpointStore.Checkpoint;
import io.github.apigatewayotel.logs.internal.FileIdentity;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads API Gateway access-log lines from a file (one line per record) into an {@link
 * AccessLogBridge}: once ({@link #readToEnd()}), or following the file like {@code tail -F}
 * ({@link #start}), surviving truncation and rotation by replacement. With a state directory it
 * checkpoints the offset after the last emitted line together with the file's identity, so a
 * restart resumes there: no line lost, none repeated (a crash between emitting and saving may
 * repeat the lines of that one read).
 */
public final class FileAccessLogSource implements Closeable {

  /** Default poll interval of follow mode. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);

  private static final Logger LOG = Logger.getLogger(FileAccessLogSource.class.getName());
  private static final String SOURCE_NAME = "file";

  private final Path file;
  private final AccessLogBridge bridge;
  private final AccessLogFormat format;
  private final FileCheckpointStore checkpoints;
  private final Duration pollInterval;
  private final LogOrigin origin;
  private final BoundedLineReader reader = new BoundedLineReader();

  private FileChannel channel;
  private String channelKey;
  private long offset;
  /** The open file's first bytes as of the last read: a change means it was rewritten. */
  private FileIdentity readIdentity;
  private boolean closed;
  /** Set before {@link #close()} takes the lock, so a read waiting for delivery lets go. */
  private volatile boolean closing;
  private boolean missingReported;
  private ScheduledFuture<?> task;

  private FileAccessLogSource(Builder builder) {
    this.file = builder.file;
    this.bridge = builder.bridge;
    this.format = builder.format != null ? builder.format : builder.bridge.format();
    this.checkpoints =
        builder.stateDirectory == null
            ? null
            : new FileCheckpointStore(builder.stateDirectory, builder.file);
    this.pollInterval = builder.pollInterval;
    this.origin = LogOrigin.file(builder.file.toString());
  }

  /** A builder reading {@code file} into {@code bridge}. */
  public static Builder builder(Path file, AccessLogBridge bridge) {
    return new Builder(
        Objects.requireNonNull(file, "file"), Objects.requireNonNull(bridge, "bridge"));
  }

  /**
   * Reads from the checkpoint (or the beginning) to the end of the file, emitting each line, and
   * saves the checkpoint. The end of the file ends the last line even without a newline. Returns
   * the number of lines emitted; 0 when the file is missing (logged). Never throws.
   */
  public synchronized long readToEnd() {
    return poll(true);
  }

  /**
   * Follows the file on {@code executor} every poll interval until {@link #close()}: new lines
   * are emitted once complete (newline-terminated); a truncated file is read again from its
   * start; a file replaced under the same path (rotation) is read to its end, then the new one
   * from its start. The task never throws.
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

  /** Stops following, saves the checkpoint and releases the file. */
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
    closeChannel();
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
      LOG.log(Level.WARNING, "Reading access logs from " + file + " failed; will retry", t);
    }
  }

  private long poll(boolean finalLineComplete) {
    try {
      if (!openOrFollowRotation()) {
        return 0;
      }
      long[] emitted = {0};
      if (channel.size() < offset || wasRewritten()) {
        LOG.log(Level.INFO, "{0} was truncated; reading it again from the start", file);
        offset = 0;
      }
      readDelivered(finalLineComplete, emitted);
      return emitted[0];
    } catch (IOException | RuntimeException e) {
      bridge.counters().countSourceError(SOURCE_NAME);
      LOG.log(Level.WARNING, "Reading access logs from " + file + " failed", e);
      closeChannel();
      return 0;
    }
  }

  /**
   * Makes {@link #channel} the file now at the path. When the path names a new file, the old one
   * is read to its end first (its writer has finished with it). Returns false when there is none.
   */
  private boolean openOrFollowRotation() throws IOException {
    String currentKey;
    try {
      currentKey = FileIdentity.fileKey(file);
    } catch (NoSuchFileException e) {
      if (!missingReported) {
        missingReported = true;
        LOG.log(Level.INFO, "Access log file {0} does not exist (yet)", file);
      }
      return channel != null;
    }
    missingReported = false;
    if (channel != null && !channelKey.equals(currentKey)) {
      if (!readDelivered(true, new long[1])) {
        return false; // closing before the old file's lines were delivered: its checkpoint holds
      }
      closeChannel();
      offset = 0;
      LOG.log(Level.INFO, "{0} was rotated; reading the new file from its start", file);
      openChannel(currentKey);
      return true;
    }
    if (channel == null) {
      openChannel(currentKey);
      offset = resumeOffset(currentKey);
    }
    return true;
  }

  /**
   * Reads the open file from {@link #offset} to its end in pieces of at most {@link
   * DeliveryBatch#MAX_RECORDS} lines; the checkpoint moves past a piece once its records are
   * delivered (exported, with a delivery tracker). Returns false when closing interrupted it.
   */
  private boolean readDelivered(boolean finalLineComplete, long[] emitted) throws IOException {
    long[] lineEnds = new long[DeliveryBatch.MAX_RECORDS];
    while (true) {
      long next;
      int lines;
      try (DeliveryBatch batch = bridge.openDeliveryBatch()) {
        next =
            reader.read(
                channel,
                offset,
                finalLineComplete,
                DeliveryBatch.MAX_RECORDS,
                (text, invalid, truncated) -> {
                  lineEnds[reader.linesRead()] = reader.lineEnd();
                  bridge.emit(format, text, origin, System.currentTimeMillis(), invalid, truncated);
                  emitted[0]++;
                });
        lines = reader.linesRead();
        if (!batch.awaitDelivery(() -> closing)) {
          // Stopped with part of the piece exported: keep what is, so a restart repeats nothing.
          int exportedLines = batch.exportedPrefix();
          if (exportedLines > 0) {
            offset = lineEnds[exportedLines - 1];
            saveCheckpoint();
          }
          return false;
        }
      }
      offset = next;
      readIdentity = FileIdentity.ofChannel(channelKey, channel, Math.max(offset, 1));
      saveCheckpoint();
      if (lines < DeliveryBatch.MAX_RECORDS) {
        return true;
      }
    }
  }

  private void openChannel(String key) throws IOException {
    channel = FileChannel.open(file, StandardOpenOption.READ);
    channelKey = key;
    readIdentity = null;
  }

  /**
   * Whether the bytes already read were replaced in place (truncated, then written past the old
   * end between two polls), which the size alone cannot show.
   */
  private boolean wasRewritten() throws IOException {
    return offset > 0 && readIdentity != null && !readIdentity.sameFileAs(channelKey, channel);
  }

  private long resumeOffset(String key) {
    if (checkpoints == null) {
      return offset;
    }
    try {
      Checkpoint checkpoint = checkpoints.load();
      if (checkpoint == null) {
        return 0;
      }
      if (checkpoint.identity().sameFileAs(key, channel)
          && checkpoint.offset() <= channel.size()) {
        return checkpoint.offset();
      }
      LOG.log(
          Level.INFO,
          "{0} is not the file checkpointed in {1}; reading it from the start",
          new Object[] {file, checkpoints.path()});
      return 0;
    } catch (IOException e) {
      bridge.counters().countSourceError(SOURCE_NAME);
      LOG.log(Level.WARNING, "Cannot read checkpoint " + checkpoints.path() + "; starting at 0", e);
      return 0;
    }
  }

  private void saveCheckpoint() {
    if (checkpoints == null || channel == null) {
      return;
    }
    try {
      FileIdentity identity = FileIdentity.ofChannel(channelKey, channel, Math.max(offset, 1));
      checkpoints.save(new Checkpoint(identity, offset));
    } catch (IOException e) {
      bridge.counters().countSourceError(SOURCE_NAME);
      LOG.log(Level.WARNING, "Cannot save checkpoint " + checkpoints.path(), e);
    }
  }

  private void closeChannel() {
    if (channel == null) {
      return;
    }
    saveCheckpoint();
    try {
      channel.close();
    } catch (IOException e) {
      LOG.log(Level.FINE, "Closing " + file, e);
    }
    channel = null;
    channelKey = null;
    readIdentity = null;
  }

  /** Configures a {@link FileAccessLogSource}. */
  public static final class Builder {
    private final Path file;
    private final AccessLogBridge bridge;
    private Path stateDirectory;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private AccessLogFormat format;

    private Builder(Path file, AccessLogBridge bridge) {
      this.file = file;
      this.bridge = bridge;
    }

    /** Where the checkpoint lives; without one, reading starts at the beginning every time. */
    public Builder setStateDirectory(Path stateDirectory) {
      this.stateDirectory = Objects.requireNonNull(stateDirectory, "stateDirectory");
      if (Files.exists(stateDirectory) && !Files.isDirectory(stateDirectory)) {
        throw new IllegalArgumentException("state directory " + stateDirectory + " is a file");
      }
      return this;
    }

    /** How often follow mode looks for new lines; default 1 s. */
    public Builder setPollInterval(Duration pollInterval) {
      Objects.requireNonNull(pollInterval, "pollInterval");
      if (pollInterval.isNegative() || pollInterval.isZero()) {
        throw new IllegalArgumentException("poll interval must be positive: " + pollInterval);
      }
      this.pollInterval = pollInterval;
      return this;
    }

    /** The file's format, when it differs from the bridge's. */
    public Builder setFormat(AccessLogFormat format) {
      this.format = Objects.requireNonNull(format, "format");
      return this;
    }

    public FileAccessLogSource build() {
      return new FileAccessLogSource(this);
    }
  }
}
