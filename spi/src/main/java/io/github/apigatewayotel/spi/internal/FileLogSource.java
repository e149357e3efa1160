package io.github.apigatewayotel.spi.internal;

import io.github.apigatewayotel.logs.AccessLogBridge;
import io.github.apigatewayotel.logs.FileAccessLogSource;
import io.github.apigatewayotel.logs.FileAccessLogSourceBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/** Adapts a {@link FileAccessLogSource} (source {@code file:PATH}) to the runtime. */
final class FileLogSource implements PluginSource {

  /** Checkpoints of file sources live here, below the state directory. */
  static final String STATE_SUBDIRECTORY = "files";

  private final Path file;
  private final FileAccessLogSource source;

  FileLogSource(Path file, AccessLogBridge bridge, Optional<Path> stateDir, Duration interval) {
    this.file = file;
    FileAccessLogSourceBuilder builder =
        FileAccessLogSource.builder(file, bridge).setPollInterval(interval);
    stateDir.ifPresent(dir -> builder.setStateDirectory(dir.resolve(STATE_SUBDIRECTORY)));
    this.source = builder.build();
  }

  @Override
  public String name() {
    return "file:" + file;
  }

  @Override
  public List<String> runOnce() {
    source.readToEnd(); // a missing file is refused before the source is built
    return List.of();
  }

  @Override
  public void start(ScheduledExecutorService executor) {
    source.start(executor);
  }

  @Override
  public void close() {
    source.close();
  }
}
