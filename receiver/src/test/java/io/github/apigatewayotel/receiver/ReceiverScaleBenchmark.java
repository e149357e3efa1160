package io.github.apigatewayotel.receiver;

import io.github.apigatewayotel.testing.aws.SimulatedAwsMain;
import io.opentelemetry.sdk.metrics.data.MetricData;
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
import java.util.Collection;
import java.util.Locale;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Scale benchmark: a simulated account of 10,000 APIs (REST, HTTP, WebSocket in turn) x 3 stages
 * with detailed per-route metrics, served by {@link SimulatedAwsMain} in a child JVM over the real
 * wire protocols, polled by the receiver with the real AWS SDK clients in this JVM. Reports, per
 * poll: GetMetricData calls (counted by the server) against the minimum ceil(queries / 500), wall
 * time, CPU of the polling thread (with concurrency 1 all the receiver's work: SDK marshalling and
 * XML parsing included),
 * CPU of this whole JVM (all threads, GC and JIT included; the simulator runs in its own JVM), and
 * heap of this JVM (run with -Xmx512m). Arguments: [apis] [stages] [routes] [polls] [concurrency]
 * [transport: lean (default) or sdk].
 *
 * <pre>./mvnw -B -q -pl receiver test-compile exec:exec@scale-benchmark</pre>
 */
public final class ReceiverScaleBenchmark {

  public static void main(String[] args) throws Exception {
    int apis = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int stages = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int routes = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    int polls = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    int concurrency = args.length > 4 ? Integer.parseInt(args[4]) : 4;
    ApiGatewayMetricsReceiver.GetMetricDataTransport transport = args.length > 5
        ? ApiGatewayMetricsReceiver.GetMetricDataTransport.valueOf(args[5].toUpperCase(Locale.ROOT))
        : ApiGatewayMetricsReceiver.GetMetricDataTransport.LEAN;
    String region = "us-east-1";
    MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:30Z"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process server = new ProcessBuilder(java, "-Xmx2g", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        SimulatedAwsMain.class.getName(), String.valueOf(apis), String.valueOf(stages), String.valueOf(routes), region,
        String.valueOf(clock.instant().getEpochSecond()))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try (BufferedReader serverOut = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter serverIn = new PrintWriter(server.getOutputStream(), true, StandardCharsets.UTF_8)) {
      String ready = serverOut.readLine();
      URI endpoint = URI.create(ready.substring("endpoint=".length(), ready.indexOf(' ')));
      System.out.printf(Locale.ROOT, "account: %d APIs x %d stages x %d routes, %s; GetMetricData transport %s, concurrency %d; receiver max heap %d MiB, %d CPUs%n",
          apis, stages, routes, ready.substring(ready.indexOf(' ') + 1), transport, concurrency, Runtime.getRuntime().maxMemory() >> 20,
          Runtime.getRuntime().availableProcessors());
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      try (ApiGatewayMetricsReceiver receiver = ApiGatewayMetricsReceiver.builder()
          .addRegion(region)
          .endpointOverride(endpoint)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
          .clock(clock)
          .discoveryInterval(Duration.ofDays(1))
          // steady state asks for one new period per poll; a 10-minute backfill would hold 10x the points
          .lookback(Duration.ofMinutes(1))
          .getMetricDataConcurrency(concurrency)
          .getMetricDataTransport(transport)
          .build()) {
        long gmdBefore = serverCount(serverIn, serverOut, clock);
        for (int poll = 0; poll <= polls; poll++) {
          resetPeaks();
          long cpu0 = threads.getCurrentThreadCpuTime();
          long process0 = os.getProcessCpuTime();
          long wall0 = System.nanoTime();
          PollSummary summary = receiver.pollOnce();
          long wall = System.nanoTime() - wall0;
          long cpu = threads.getCurrentThreadCpuTime() - cpu0;
          long processCpu = os.getProcessCpuTime() - process0;
          // what the host SDK's metric reader does next: collect the produced points, piece by
          // piece (each collection takes at most maxExportPoints), until none is left
          long collect0 = threads.getCurrentThreadCpuTime();
          long points = 0;
          Collection<MetricData> produced;
          do {
            produced = receiver.metricProducer().produce(Resource.empty());
            points += produced.stream().mapToLong(m -> m.getData().getPoints().size()).sum();
          } while (!produced.isEmpty());
          long collectCpu = threads.getCurrentThreadCpuTime() - collect0;
          long peak = peakHeapMiB();
          System.gc();
          long retained = (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20;
          clock.advance(Duration.ofMinutes(1));
          long gmd = serverCount(serverIn, serverOut, clock);
          System.out.printf(Locale.ROOT,
              "%s: series=%d queries=%d GetMetricData calls=%d (minimum %d) datapoints=%d points=%d "
                  + "wall=%.2fs process-cpu=%.2fs polling-thread-cpu=%.2fs collect-cpu=%.3fs peak-heap=%dMiB retained-heap=%dMiB failed=%d%n",
              poll == 0 ? "poll 0 (discovery + first period)" : "poll " + poll + " (steady state, 1 new minute)",
              summary.series(), summary.queries(), gmd - gmdBefore, (summary.queries() + 499) / 500,
              summary.datapointsReceived(), points, wall / 1e9, processCpu / 1e9, cpu / 1e9, collectCpu / 1e9, peak, retained, summary.failedCalls());
          gmdBefore = gmd;
        }
      }
    } finally {
      server.destroy();
      server.waitFor();
    }
  }

  /** Moves the server's clock to ours and returns its GetMetricData request count so far. */
  private static long serverCount(PrintWriter in, BufferedReader out, MutableClock clock) throws Exception {
    in.println(clock.instant().getEpochSecond());
    String line = out.readLine();
    int at = line.indexOf("GetMetricData=");
    return Long.parseLong(line.substring(at + "GetMetricData=".length(), line.indexOf(' ', at)));
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
