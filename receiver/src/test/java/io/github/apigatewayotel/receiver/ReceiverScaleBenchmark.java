package io.github.apigatewayotel.receiver;

import io.github.apigatewayotel.testing.aws.SimulatedAwsMain;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.resources.Resource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Scale benchmark: a simulated account of 10,000 APIs (REST, HTTP, WebSocket in turn) x 3 stages
 * with detailed per-route metrics, served by {@link SimulatedAwsMain} in a child JVM over the real
 * wire protocols, polled by the receiver with the real AWS SDK clients in this JVM, minute by
 * minute on a simulated clock, as the receiver's scheduler ticks. Reports, per tick: GetMetricData
 * calls and metric requests (counted by the server, the unit CloudWatch bills) against the minimum,
 * points produced, wall time, CPU of the polling thread and of this whole JVM (all threads, GC and
 * JIT included; the simulator runs in its own JVM), heap of this JVM (run with -Xmx512m), and how
 * old the produced periods are (tick time minus period end, on the simulated clock).
 *
 * <p>Profiles: {@code old} is the defaults before issue 12 (a poll of every query each minute,
 * every series CloudWatch lists); {@code new} the defaults since (each query every 5 minutes, a
 * fifth of them each minute, recently active series only). Arguments: [apis] [stages] [routes]
 * [steady minutes] [concurrency] [profiles: old,new (default), or one of them].
 *
 * <pre>./mvnw -B -q -pl receiver test-compile exec:exec@scale-benchmark</pre>
 */
public final class ReceiverScaleBenchmark {

  /**
   * The metric reader's default export interval (otel.metric.export.interval): a point waits up to
   * this.
   */
  private static final Duration READER_INTERVAL = Duration.ofSeconds(60);

  public static void main(String[] args) throws Exception {
    int apis = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int stages = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int routes = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    int steadyMinutes = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    int concurrency = args.length > 4 ? Integer.parseInt(args[4]) : 4;
    List<String> profiles = List.of((args.length > 5 ? args[5] : "old,new").split(","));
    System.out.printf(
        Locale.ROOT,
        "account: %d APIs x %d stages x %d routes; GetMetricData concurrency %d (AWS SDK CloudWatch client, CBOR);"
            + " receiver max heap %d MiB, %d CPUs, load average %.1f%n",
        apis,
        stages,
        routes,
        concurrency,
        Runtime.getRuntime().maxMemory() >> 20,
        Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    for (String profile : profiles) {
      run(profile.trim(), apis, stages, routes, steadyMinutes, concurrency);
    }
  }

  private static void run(
      String profile, int apis, int stages, int routes, int steadyMinutes, int concurrency)
      throws Exception {
    boolean old =
        switch (profile) {
          case "old" -> true;
          case "new" -> false;
          default -> throw new IllegalArgumentException("profile must be old or new: " + profile);
        };
    String region = "us-east-1";
    // 59 s past the minute: the worst phase for freshness (the newest period ended 3 min 59 s ago)
    MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:59Z"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process server =
        new ProcessBuilder(
                java,
                "-Xmx2g",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                SimulatedAwsMain.class.getName(),
                String.valueOf(apis),
                String.valueOf(stages),
                String.valueOf(routes),
                region,
                String.valueOf(clock.instant().getEpochSecond()))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try (BufferedReader serverOut =
            new BufferedReader(
                new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter serverIn =
            new PrintWriter(server.getOutputStream(), true, StandardCharsets.UTF_8)) {
      String ready = serverOut.readLine();
      URI endpoint = URI.create(ready.substring("endpoint=".length(), ready.indexOf(' ')));
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      ApiGatewayMetricsReceiverBuilder builder =
          ApiGatewayMetricsReceiver.builder()
              .addRegion(region)
              .endpointOverride(endpoint)
              .credentialsProvider(
                  StaticCredentialsProvider.create(
                      AwsBasicCredentials.create("AKIDTEST", "secret")))
              .clock(clock)
              .discoveryInterval(Duration.ofDays(1))
              // a first read of one period, not the 10-minute backfill (which would hold 10x the
              // points
              // of a minute); later reads ask from each query's mark, whatever the lookback
              .lookback(Duration.ofMinutes(1))
              .getMetricDataConcurrency(concurrency);
      if (old) {
        builder.pollInterval(Duration.ofMinutes(1)).recentlyActiveOnly(false);
      }
      try (ApiGatewayMetricsReceiver receiver = builder.build()) {
        int slices = old ? 1 : 5;
        System.out.printf(
            Locale.ROOT,
            "profile %s: %s; %s%n",
            profile,
            old
                ? "every query every minute, every listed series (the defaults before issue 12)"
                : "every query every 5 minutes, a fifth of them each minute, recently active series (the defaults)",
            ready.substring(ready.indexOf(' ') + 1));
        Counts before = serverCounts(serverIn, serverOut, clock);
        int warmUp = slices; // the discovery, then every slice's first read
        Totals steady = new Totals();
        for (int tick = 0; tick < warmUp + steadyMinutes; tick++) {
          resetPeaks();
          long cpu0 = threads.getCurrentThreadCpuTime();
          long process0 = os.getProcessCpuTime();
          long wall0 = System.nanoTime();
          PollSummary summary = receiver.pollNextSlice();
          long wall = System.nanoTime() - wall0;
          long cpu = threads.getCurrentThreadCpuTime() - cpu0;
          long processCpu = os.getProcessCpuTime() - process0;
          Instant tickTime = clock.instant();
          // what the host SDK's metric reader does next: collect the produced points, piece by
          // piece (each collection takes at most maxExportPoints), until none is left
          List<MetricData> produced = new ArrayList<>();
          Collection<MetricData> piece;
          do {
            piece = receiver.metricProducer().produce(Resource.empty());
            produced.addAll(piece);
          } while (!piece.isEmpty());
          Freshness freshness = Freshness.of(produced, tickTime);
          long peak = peakHeapMiB();
          System.gc();
          long retained =
              (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20;
          clock.advance(Duration.ofMinutes(1));
          Counts after = serverCounts(serverIn, serverOut, clock);
          long calls = after.calls - before.calls;
          long requests = after.metricsRequested - before.metricsRequested;
          boolean isSteady = tick >= warmUp;
          System.out.printf(
              Locale.ROOT,
              "%s %s tick %d%s: queries=%d metric-requests=%d GetMetricData calls=%d (minimum %d) points=%d"
                  + " requests/point=%.3f wall=%.2fs process-cpu=%.2fs polling-thread-cpu=%.2fs peak-heap=%dMiB"
                  + " retained-heap=%dMiB period-end-to-tick max=%s mean=%s failed=%d%n",
              profile,
              isSteady ? "steady" : "warm-up",
              tick,
              tick == 0 ? " (discovery)" : "",
              summary.queries(),
              requests,
              calls,
              (summary.queries() + 499) / 500,
              freshness.points,
              freshness.points == 0 ? 0.0 : (double) requests / freshness.points,
              wall / 1e9,
              processCpu / 1e9,
              cpu / 1e9,
              peak,
              retained,
              minutes(freshness.max),
              minutes(freshness.mean()),
              summary.failedCalls());
          if (isSteady) {
            steady.add(requests, calls, freshness, processCpu, wall);
          }
          before = after;
        }
        int queries = receiver.queriesPerPoll();
        CloudWatchCost cost = receiver.costEstimates().get(0);
        double perMinute = (double) steady.requests / steadyMinutes;
        System.out.printf(
            Locale.ROOT,
            "%s summary over %d steady minutes: %d queries per interval, %.0f metric requests per minute (%,.0f per"
                + " 30-day month; the receiver's estimate %,.0f, $%,.2f), %.1f GetMetricData calls per minute, %,d points,"
                + " %.3f metric requests per exported datapoint, process CPU %.2f s per minute (%.2f s per tick max),"
                + " freshness period end to tick max %s mean %s, + tick wall max %.1f s + reader interval %d s ="
                + " worst %s%n",
            profile,
            steadyMinutes,
            queries,
            perMinute,
            perMinute * 60 * 24 * 30,
            cost.metricRequestsPerMonth(),
            cost.dollarsPerMonth(),
            (double) steady.calls / steadyMinutes,
            steady.points,
            (double) steady.requests / steady.points,
            steady.processCpuNanos / 1e9 / steadyMinutes,
            steady.maxCpuNanos / 1e9,
            minutes(steady.maxFreshness),
            minutes(steady.meanFreshness()),
            steady.maxWallNanos / 1e9,
            READER_INTERVAL.toSeconds(),
            minutes(steady.maxFreshness.plusNanos(steady.maxWallNanos).plus(READER_INTERVAL)));
      }
    } finally {
      server.destroy();
      server.waitFor();
    }
  }

  /**
   * How old the produced gauge points' periods are at the tick (gauges are stamped at the period
   * start).
   */
  private record Freshness(long points, long gaugePoints, Duration max, Duration total) {
    static Freshness of(Collection<MetricData> produced, Instant tick) {
      long points = 0;
      long gauges = 0;
      Duration max = Duration.ZERO;
      long totalSeconds = 0;
      for (MetricData metric : produced) {
        for (PointData point : metric.getData().getPoints()) {
          points++;
          if (metric.getType() == MetricDataType.DOUBLE_GAUGE) {
            long end = point.getEpochNanos() / 1_000_000_000L + 60;
            long age = tick.getEpochSecond() - end;
            gauges++;
            totalSeconds += age;
            if (age > max.getSeconds()) {
              max = Duration.ofSeconds(age);
            }
          }
        }
      }
      return new Freshness(points, gauges, max, Duration.ofSeconds(totalSeconds));
    }

    Duration mean() {
      return gaugePoints == 0 ? Duration.ZERO : total.dividedBy(gaugePoints);
    }
  }

  private static final class Totals {
    long requests;
    long calls;
    long points;
    long gaugePoints;
    long freshnessSeconds;
    Duration maxFreshness = Duration.ZERO;
    long processCpuNanos;
    long maxCpuNanos;
    long maxWallNanos;

    void add(long requests, long calls, Freshness freshness, long processCpu, long wall) {
      this.requests += requests;
      this.calls += calls;
      points += freshness.points;
      gaugePoints += freshness.gaugePoints;
      freshnessSeconds += freshness.total.getSeconds();
      if (freshness.max.compareTo(maxFreshness) > 0) {
        maxFreshness = freshness.max;
      }
      processCpuNanos += processCpu;
      maxCpuNanos = Math.max(maxCpuNanos, processCpu);
      maxWallNanos = Math.max(maxWallNanos, wall);
    }

    Duration meanFreshness() {
      return gaugePoints == 0 ? Duration.ZERO : Duration.ofSeconds(freshnessSeconds / gaugePoints);
    }
  }

  private static String minutes(Duration d) {
    return String.format(Locale.ROOT, "%dm%02ds", d.toMinutes(), d.toSecondsPart());
  }

  private record Counts(long calls, long metricsRequested) {}

  /** Moves the server's clock to ours and returns its GetMetricData counts so far. */
  private static Counts serverCounts(PrintWriter in, BufferedReader out, MutableClock clock)
      throws Exception {
    in.println(clock.instant().getEpochSecond());
    String line = out.readLine();
    return new Counts(field(line, "GetMetricData="), field(line, "MetricsRequested="));
  }

  private static long field(String line, String name) {
    int at = line.indexOf(name);
    int end = line.indexOf(' ', at);
    return Long.parseLong(line.substring(at + name.length(), end < 0 ? line.length() : end));
  }

  private static void resetPeaks() {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
  }

  /** Sum of the heap pools' peaks since the last reset: an upper bound of the heap in use. */
  private static long peakHeapMiB() {
    long bytes = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        bytes += pool.getPeakUsage().getUsed();
      }
    }
    return bytes >> 20;
  }
}
