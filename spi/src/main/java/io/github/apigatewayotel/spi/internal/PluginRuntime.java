package io.github.apigatewayotel.spi.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the plugin's sources on its own daemon threads. Sources are built there too, so that AWS
 * client construction, credential and region look-ups never delay the host's start-up.
 */
public final class PluginRuntime implements AutoCloseable {

  private static final Logger logger = Logger.getLogger(PluginRuntime.class.getName());

  /** How long {@link #close()} lets a source finish the call in hand before interrupting it. */
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final ApiGatewayConfig.Mode mode;
  private final List<Supplier<PluginSource>> factories;
  private final List<PluginSource> sources = new ArrayList<>();
  private final CountDownLatch completed = new CountDownLatch(1);
  private final AtomicInteger failedSources = new AtomicInteger();

  /**
   * What went wrong, one line per problem, prefixed with the source: for a host that reports it.
   */
  private final List<String> failures = new CopyOnWriteArrayList<>();

  private final Set<String> reported = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService executor = PluginThreads.newExecutor();
  private boolean closed;

  PluginRuntime(ApiGatewayConfig.Mode mode, List<Supplier<PluginSource>> factories) {
    this.mode = mode;
    this.factories = List.copyOf(factories);
  }

  void start() {
    executor.execute(this::buildAndRun);
  }

  private void buildAndRun() {
    for (Supplier<PluginSource> factory : factories) {
      PluginSource source = build(factory);
      if (source == null) {
        continue;
      }
      if (!register(source)) {
        source.close();
        return;
      }
      if (mode == ApiGatewayConfig.Mode.ONCE) {
        runOnce(source);
      } else {
        source.start(executor);
        logger.info("apigateway-otel: started " + source.name());
      }
    }
    completed.countDown();
  }

  private PluginSource build(Supplier<PluginSource> factory) {
    try {
      return factory.get();
    } catch (IllegalStateException | IllegalArgumentException e) {
      // What the environment lacks (a region, say): one clear line, once, no stack trace.
      failedSources.incrementAndGet();
      failures.add("a source could not start: " + e.getMessage());
      if (reported.add(e.getMessage())) {
        logger.warning("apigateway-otel: a source could not start: " + e.getMessage());
      }
      return null;
    } catch (RuntimeException e) {
      // A source that cannot be built must not stop the others.
      failedSources.incrementAndGet();
      failures.add("a source could not start: " + e);
      logger.log(Level.WARNING, "apigateway-otel: a source could not start: " + e, e);
      return null;
    }
  }

  /**
   * How many sources could not be built or, in {@code once} mode, met a problem in their run (each
   * logged); read after completion.
   */
  public int failedSources() {
    return failedSources.get();
  }

  /** What went wrong, one line each, naming the source; read after completion. */
  public List<String> failures() {
    return List.copyOf(failures);
  }

  private void runOnce(PluginSource source) {
    List<String> problems;
    try {
      problems = source.runOnce();
    } catch (RuntimeException e) {
      logger.log(Level.WARNING, "apigateway-otel: " + source.name() + " failed", e);
      problems = List.of("failed: " + e);
    }
    if (problems.isEmpty()) {
      logger.info("apigateway-otel: ran " + source.name() + " once");
      return;
    }
    failedSources.incrementAndGet();
    for (String problem : problems) {
      failures.add(source.name() + ": " + problem);
    }
  }

  private synchronized boolean register(PluginSource source) {
    if (closed) {
      return false;
    }
    sources.add(source);
    return true;
  }

  /**
   * In {@code once} mode, waits until every source has run to its end; in {@code continuous} mode,
   * until every source has started. Returns false on timeout.
   */
  public boolean awaitCompletion(Duration timeout) throws InterruptedException {
    return completed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    List<PluginSource> toClose;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      toClose = new ArrayList<>(sources);
    }
    // Sources first: they stop scheduling and finish the page in hand. Interrupting an AWS call
    // mid-flight would only turn a clean stop into warnings.
    executor.shutdown();
    for (PluginSource source : toClose) {
      try {
        source.close();
      } catch (RuntimeException e) {
        logger.log(Level.WARNING, "apigateway-otel: closing " + source.name() + " failed", e);
      }
    }
    try {
      if (!executor.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
