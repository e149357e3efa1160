package io.github.apigatewayotel.logs.benchmark;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * The JMH pair {@link AccessLogParseBenchmark} (json) and {@link AccessLogParseBaseline}, plus the
 * floor under both ({@link AccessLogRecordFloor}), timed by the thread's CPU time instead of wall
 * time and interleaved round by round in one JVM, so that both sides see the same machine load. On
 * a shared 2-core machine JMH's wall-clock error bars are wider than the difference being measured;
 * CPU time per line excludes the time the thread waited for a core. Usage: {@code
 * AccessLogParseCpuTime <minimal|sdk> [rounds]}; one sink per JVM, so the JIT sees one sink type
 * per call site, as in JMH's forks. See docs/BENCHMARKS.md.
 */
public final class AccessLogParseCpuTime {

  private static final int LINES_PER_ROUND = 1 << 20;
  private static final int WARM_UP_ROUNDS = 5;

  private AccessLogParseCpuTime() {}

  public static void main(String[] args) throws Exception {
    String sink = args.length > 0 ? args[0] : "sdk";
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    AccessLogParseBenchmark bridge = new AccessLogParseBenchmark();
    bridge.format = "json";
    bridge.sink = sink;
    bridge.setUp();
    AccessLogParseBaseline baseline = new AccessLogParseBaseline();
    baseline.sink = sink;
    baseline.setUp();
    AccessLogRecordFloor floor = new AccessLogRecordFloor();
    floor.sink = sink;
    floor.setUp();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double[] bridgeNanos = new double[rounds];
    double[] baselineNanos = new double[rounds];
    double[] floorNanos = new double[rounds];
    double[] ratios = new double[rounds];
    try {
      for (int round = -WARM_UP_ROUNDS; round < rounds; round++) {
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < LINES_PER_ROUND; i++) {
          bridge.bridge();
        }
        long middle = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < LINES_PER_ROUND; i++) {
          baseline.jacksonReadTree();
        }
        long end = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < LINES_PER_ROUND; i++) {
          floor.recordFromParsedValues();
        }
        long afterFloor = threads.getCurrentThreadCpuTime();
        if (round >= 0) {
          bridgeNanos[round] = (middle - start) / (double) LINES_PER_ROUND;
          baselineNanos[round] = (end - middle) / (double) LINES_PER_ROUND;
          floorNanos[round] = (afterFloor - end) / (double) LINES_PER_ROUND;
          ratios[round] = baselineNanos[round] / bridgeNanos[round];
        }
      }
    } finally {
      bridge.tearDown();
      baseline.tearDown();
      floor.tearDown();
    }
    System.out.printf(
        "sink=%s, %d rounds of %d json lines, CPU ns/line (median): bridge %.0f (%.2fM lines/s"
            + " per core), Jackson baseline %.0f; ratio median %.2fx (min %.2fx, max %.2fx)%n",
        sink,
        rounds,
        LINES_PER_ROUND,
        median(bridgeNanos),
        1e3 / median(bridgeNanos),
        median(baselineNanos),
        median(ratios),
        Arrays.stream(ratios).min().orElse(0),
        Arrays.stream(ratios).max().orElse(0));
    double floorMedian = median(floorNanos);
    System.out.printf(
        "  floor (the same record from values parsed beforehand, same sink): %.0f ns/line;"
            + " above it: bridge %.0f, Jackson %.0f; the best ratio any parser could reach here"
            + " is %.2fx, and 3x needs the bridge at <= %.0f ns/line%n",
        floorMedian,
        median(bridgeNanos) - floorMedian,
        median(baselineNanos) - floorMedian,
        median(baselineNanos) / floorMedian,
        median(baselineNanos) / 3);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
