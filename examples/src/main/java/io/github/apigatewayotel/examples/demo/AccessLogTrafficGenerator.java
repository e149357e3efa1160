package io.github.apigatewayotel.examples.demo;

import io.github.apigatewayotel.testing.aws.CloudWatchLogsSimulator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes the demo's access logs into the simulated CloudWatch Logs, second by second, as API
 * Gateway would: each group's stage serves {@link TrafficModel}'s requests and each becomes one
 * line in the group's format. The requests are the simulated account's own traffic, so a minute's
 * lines add up to that minute's CloudWatch Count, 4xx and 5xx.
 */
final class AccessLogTrafficGenerator implements AutoCloseable {

  private static final Logger logger = Logger.getLogger(AccessLogTrafficGenerator.class.getName());

  static final Duration TICK = Duration.ofSeconds(1);

  private final CloudWatchLogsSimulator logs;
  private final List<DemoLogGroup> groups;
  private final TrafficModel model;
  private final LongSupplier clockMillis;
  private final AtomicLong linesWritten = new AtomicLong();

  /** Lines written per second of request time: how many a reader starting at a time can find. */
  private final ConcurrentSkipListMap<Long, Long> linesPerSecond = new ConcurrentSkipListMap<>();

  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread t = new Thread(runnable, "apigateway-otel-demo-traffic");
            t.setDaemon(true);
            return t;
          });

  /** The first second not generated yet. */
  private long nextSecond;

  AccessLogTrafficGenerator(
      CloudWatchLogsSimulator logs,
      List<DemoLogGroup> groups,
      TrafficModel model,
      LongSupplier clockMillis) {
    this.logs = logs;
    this.groups = List.copyOf(groups);
    this.model = model;
    this.clockMillis = clockMillis;
    this.nextSecond = Math.floorDiv(clockMillis.getAsLong(), 1000);
  }

  /** Creates every group and writes the traffic of the {@code history} before now. */
  synchronized void backfill(Duration history) {
    for (DemoLogGroup group : groups) {
      logs.createLogGroup(group.name());
    }
    nextSecond -= history.toSeconds();
    generateUntilNow();
  }

  /** Keeps writing, once a {@link #TICK}, on a daemon thread. */
  void start() {
    thread.scheduleAtFixedRate(this::tickQuietly, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
  }

  long linesWritten() {
    return linesWritten.get();
  }

  /** Lines of requests at or after {@code epochMillis} (to the second). */
  long linesWrittenSince(long epochMillis) {
    long total = 0;
    for (long lines : linesPerSecond.tailMap(Math.floorDiv(epochMillis, 1000)).values()) {
      total += lines;
    }
    return total;
  }

  private void tickQuietly() {
    try {
      generateUntilNow();
    } catch (RuntimeException e) {
      // One bad tick must not stop the traffic, nor reach the host.
      logger.log(Level.WARNING, "demo traffic generation failed", e);
    }
  }

  private synchronized void generateUntilNow() {
    long now = Math.floorDiv(clockMillis.getAsLong(), 1000);
    for (; nextSecond < now; nextSecond++) {
      for (DemoLogGroup group : groups) {
        for (SimulatedRequest request : model.requests(group, nextSecond)) {
          String stream = "access-" + Math.floorMod(request.requestId().hashCode(), 2);
          logs.putLogEvent(
              group.name(), stream, request.epochMillis(), group.format().render(request));
          linesWritten.incrementAndGet();
          linesPerSecond.merge(Math.floorDiv(request.epochMillis(), 1000), 1L, Long::sum);
        }
      }
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
