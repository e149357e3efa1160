package io.github.apigatewayotel.spi.internal;

import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One thing the plugin runs — a log source or the metrics receiver — as the runtime sees it. Every
 * method runs on the plugin's own threads and must not throw: failures are logged and counted by
 * the source itself.
 */
interface PluginSource extends AutoCloseable {

  /** A short description for logs, e.g. {@code file:/var/log/access.log}. */
  String name();

  /**
   * Runs the source once to its end: a file to EOF, every log group up to now, one poll. Returns
   * what went wrong, each in words a user can act on; empty when everything worked.
   */
  List<String> runOnce();

  /** Starts following/polling on {@code executor} until {@link #close()}. */
  void start(ScheduledExecutorService executor);

  @Override
  void close();
}
