package io.github.apigatewayotel.logs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Configures a {@link FileAccessLogSource}: every setting has a default; a setter refuses a bad
 * value at once, naming the setting.
 */
public final class FileAccessLogSourceBuilder {
  final Path file;
  final AccessLogBridge bridge;
  Path stateDirectory;
  Duration pollInterval = FileAccessLogSource.DEFAULT_POLL_INTERVAL;
  AccessLogFormat format;

  FileAccessLogSourceBuilder(Path file, AccessLogBridge bridge) {
    this.file = file;
    this.bridge = bridge;
  }

  /** Where the checkpoint lives; without one, reading starts at the beginning every time. */
  public FileAccessLogSourceBuilder setStateDirectory(Path stateDirectory) {
    this.stateDirectory = Objects.requireNonNull(stateDirectory, "stateDirectory");
    if (Files.exists(stateDirectory) && !Files.isDirectory(stateDirectory)) {
      throw new IllegalArgumentException("state directory " + stateDirectory + " is a file");
    }
    return this;
  }

  /** How often follow mode looks for new lines; default 1 s. */
  public FileAccessLogSourceBuilder setPollInterval(Duration pollInterval) {
    Objects.requireNonNull(pollInterval, "pollInterval");
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("poll interval must be positive: " + pollInterval);
    }
    this.pollInterval = pollInterval;
    return this;
  }

  /** The file's format, when it differs from the bridge's. */
  public FileAccessLogSourceBuilder setFormat(AccessLogFormat format) {
    this.format = Objects.requireNonNull(format, "format");
    return this;
  }

  public FileAccessLogSource build() {
    return new FileAccessLogSource(this);
  }
}
