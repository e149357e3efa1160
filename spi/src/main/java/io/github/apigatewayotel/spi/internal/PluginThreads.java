package io.github.apigatewayotel.spi.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The plugin's own daemon threads: nothing it runs can keep the host alive or block its start. */
final class PluginThreads {

  private static final Logger logger = Logger.getLogger(PluginThreads.class.getName());

  /** Two threads: one may sit in an AWS call's backoff while the other keeps the rest moving. */
  private static final int THREADS = 2;

  private PluginThreads() {}

  static ScheduledExecutorService newExecutor() {
    AtomicInteger counter = new AtomicInteger();
    ThreadFactory factory =
        runnable -> {
          Thread thread = new Thread(runnable, "apigateway-otel-" + counter.incrementAndGet());
          thread.setDaemon(true);
          thread.setUncaughtExceptionHandler(
              (t, e) -> logger.log(Level.SEVERE, "apigateway-otel: unexpected failure on " + t, e));
          return thread;
        };
    return Executors.newScheduledThreadPool(THREADS, factory);
  }
}
