package io.github.apigatewayotel.logs.benchmark;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * {@link AccessLogRequestMetricsBenchmark}'s two sides timed by the thread's CPU time, interleaved
 * round by round in one JVM (as {@link AccessLogParseCpuTime} does), so both see the same machine
 * load: the cost per line of deriving the request metrics, and lines per second per core with and
 * without. Usage: {@code AccessLogRequestMetricsCpuTime <json|json-latency> <minimal|sdk>
 * [rounds]}. See docs/BENCHMARKS.md.
 */
public final class AccessLogRequestMetricsCpuTime {

  private static final int LINES_PER_ROUND = 1 << 20;
  private static final int WARM_UP_ROUNDS = 5;

  private AccessLogRequestMetricsCpuTime() {}

  public static void main(String[] args) throws Exception {
    AccessLogRequestMetricsBenchmark benchmark = new AccessLogRequestMetricsBenchmark();
    benchmark.format = args.length > 0 ? args[0] : "json-latency";
    benchmark.sink = args.length > 1 ? args[1] : "sdk";
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 9;
    benchmark.setUp();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double[] plain = new double[rounds];
    double[] withMetrics = new double[rounds];
    long late;
    try {
      for (int round = -WARM_UP_ROUNDS; round < rounds; round++) {
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < LINES_PER_ROUND; i++) {
          benchmark.bridge();
        }
        long middle = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < LINES_PER_ROUND; i++) {
          benchmark.bridgeWithRequestMetrics();
        }
        long end = threads.getCurrentThreadCpuTime();
        if (round >= 0) {
          plain[round] = (middle - start) / (double) LINES_PER_ROUND;
          withMetrics[round] = (end - middle) / (double) LINES_PER_ROUND;
        }
      }
    } finally {
      late = benchmark.lateLines();
      benchmark.tearDown();
    }
    double[] extra = new double[rounds];
    double[] ratios = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      extra[i] = withMetrics[i] - plain[i];
      ratios[i] = withMetrics[i] / plain[i];
    }
    System.out.printf(
        "format=%s sink=%s, %d rounds of %d lines, CPU ns/line (median): bridge %.0f (%.2fM lines/s"
            + " per core), with request metrics %.0f (%.2fM lines/s); request metrics add %.0f ns/line"
            + " (min %.0f, max %.0f), ratio %.3f (min %.3f, max %.3f); lines not counted (late) %d%n",
        benchmark.format,
        benchmark.sink,
        rounds,
        LINES_PER_ROUND,
        median(plain),
        1e3 / median(plain),
        median(withMetrics),
        1e3 / median(withMetrics),
        median(extra),
        Arrays.stream(extra).min().orElse(0),
        Arrays.stream(extra).max().orElse(0),
        median(ratios),
        Arrays.stream(ratios).min().orElse(0),
        Arrays.stream(ratios).max().orElse(0),
        late);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
