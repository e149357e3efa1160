package io.github.apigatewayotel.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.testing.aws.CloudWatchLogsSimulator;
import io.github.apigatewayotel.testing.aws.FakeAwsServer;
import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import io.github.apigatewayotel.testing.otlp.ReceivedMetric;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5, "Crash": the standalone host is killed with SIGKILL at random moments while access-log
 * lines flow (appended to a file and put into CloudWatch Logs) and metrics are polled, and is
 * restarted each time with the same state directory. No line and no datapoint may be lost. None
 * may be repeated either, with one unavoidable exception: a kill that lands after the backend
 * accepted an export but before the checkpoint behind it was saved repeats that one export, so
 * each restart may repeat at most one export batch of records. Lines carry unique request ids, so
 * the backend's records say exactly which were lost or repeated; datapoints are compared with a
 * reference {@code --once} run that never crashed.
 *
 * <p>Longer runs: {@code -Dcrash.kills=10 -Dcrash.lines=100000 -Dcrash.seconds=60}; {@code
 * -Dcrash.seed=N} replays the kill moments of a run (each run prints its seed).
 */
class CrashRestartIT {

  private static final String ACCOUNT = "123456789012";
  private static final String REGION = "us-east-1";
  private static final String LOG_GROUP = "api-gateway-crash";

  /** The SDK's default {@code otel.blrp.max.export.batch.size}: the most one export can repeat. */
  private static final int MAX_EXPORT_BATCH = 512;

  /** SIGKILL's exit status: 128 + signal 9. */
  private static final int KILLED_STATUS = 137;

  private static final int KILLS = Integer.getInteger("crash.kills", 3);
  private static final int FILE_LINES = Integer.getInteger("crash.lines", 20_000);
  private static final int CLOUDWATCH_LINES =
      Integer.getInteger("crash.cloudwatch.lines", FILE_LINES / 4);
  private static final Duration WRITING = Duration.ofSeconds(Long.getLong("crash.seconds", 15));

  /** The backend must receive nothing new for this long before the last host counts as drained. */
  private static final Duration QUIET = Duration.ofSeconds(3);

  private static final Duration DRAIN_LIMIT = Duration.ofSeconds(60);
  private static final Duration PROGRESS_LIMIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void sigkillMidStreamLosesNothingAndRepeatsAtMostOneExportPerKill() throws Exception {
    long seed = Long.getLong("crash.seed", System.nanoTime());
    Random random = new Random(seed);
    SimulatedAccount account = SimulatedAccount.demo(ACCOUNT, REGION, 5);
    CloudWatchLogsSimulator logs = new CloudWatchLogsSimulator(ACCOUNT).createLogGroup(LOG_GROUP);
    Path accessLog = Files.createFile(dir.resolve("access.log"));
    try (FakeAwsServer aws = ItHosts.serve(account, logs);
        OtlpTestReceiver receiver = OtlpTestReceiver.start();
        LineWriter writer = new LineWriter(accessLog, logs);
        RestartedHost host =
            new RestartedHost(hostArguments(receiver, aws, accessLog, dir.resolve("state")), receiver)) {
      List<Kill> kills = new ArrayList<>();
      writer.start();
      for (int number = 1; number <= KILLS; number++) {
        sleepUntil(writer.startNanos() + killOffsetNanos(number, random));
        kills.add(host.killAndRestart(number, writer));
      }
      assertThat(writer.awaitEnd(WRITING.plusSeconds(60))).as("writer finished").isTrue();
      boolean drained = awaitQuiet(receiver);
      String lastOutput = host.output();

      Deliveries deliveries = new Deliveries(receiver.logRequests(), receiver.metricRequests(), kills);
      Map<String, Integer> lostFile = deliveries.lostPerKill("file", FILE_LINES, Kill::fileWritten);
      Map<String, Integer> lostCloudWatch =
          deliveries.lostPerKill("cloudwatch", CLOUDWATCH_LINES, Kill::cloudWatchWritten);
      host.stop();
      Set<String> expectedPoints = referencePoints(aws);
      int lostPoints = deliveries.missingPoints(expectedPoints);
      System.out.println(
          report(seed, kills, deliveries, lostFile, lostCloudWatch, lostPoints, expectedPoints.size()));

      SoftAssertions softly = new SoftAssertions();
      softly.assertThat(writer.failure()).as("writer failure").isNull();
      softly.assertThat(drained).as("the last host drained within %s", DRAIN_LIMIT).isTrue();
      for (Kill kill : kills) {
        softly.assertThat(kill.exitStatus()).as("kill %d ended the host by SIGKILL", kill.number())
            .isEqualTo(KILLED_STATUS);
        softly.assertThat(kill.fileWritten()).as("kill %d landed while lines flowed", kill.number())
            .isLessThan(FILE_LINES);
      }
      softly.assertThat(deliveries.unidentified()).as("records without a known request id").isZero();
      softly.assertThat(sum(lostFile)).as("file lines lost, per kill: %s", lostFile).isZero();
      softly.assertThat(sum(lostCloudWatch))
          .as("CloudWatch lines lost, per kill: %s", lostCloudWatch).isZero();
      softly.assertThat(deliveries.repeatedRecords(0)).as("records repeated before any kill").isZero();
      for (int number = 1; number <= KILLS; number++) {
        softly.assertThat(deliveries.repeatedRecords(number))
            .as("records repeated after kill %d (at most one export batch)", number)
            .isLessThanOrEqualTo(MAX_EXPORT_BATCH);
      }
      softly.assertThat(deliveries.pointCount()).as("datapoints received").isPositive();
      softly.assertThat(expectedPoints).as("datapoints of the reference run").isNotEmpty();
      softly.assertThat(lostPoints).as("datapoints lost").isZero();
      softly.assertThat(deliveries.repeatedPoints())
          .as("datapoints repeated, per host: %s", deliveries.repeatedPointsPerHost()).isZero();
      softly.assertThat(lastOutput).as("last host's output").doesNotContain("Exception");
      softly.assertAll();
    }
  }

  private List<String> hostArguments(
      OtlpTestReceiver receiver, FakeAwsServer aws, Path accessLog, Path state) {
    return ItHosts.concat(
        ItHosts.exportTo(
            receiver,
            // One point per CloudWatch period, so a point's key says whether it came twice.
            "-Dotel.exporter.otlp.metrics.temporality.preference=delta"),
        ItHosts.quickPlugin(aws, REGION),
        List.of(
            "-Dotel.apigateway.state.dir=" + state,
            "-Dotel.apigateway.logs.source=file:" + accessLog + ",cloudwatch",
            "-Dotel.apigateway.logs.groups=" + LOG_GROUP,
            "-Dotel.apigateway.metrics.interval=5s"));
  }

  /** The standalone host, started at once and again after each kill, with the same arguments. */
  private final class RestartedHost implements AutoCloseable {

    private final List<String> jvmArgs;
    private final OtlpTestReceiver receiver;
    private ChildJvm current;
    private long receivedAtStart;

    RestartedHost(List<String> jvmArgs, OtlpTestReceiver receiver) throws IOException {
      this.jvmArgs = jvmArgs;
      this.receiver = receiver;
      start();
    }

    private void start() throws IOException {
      receivedAtStart = receiver.logRecordCount();
      current =
          ChildJvm.start(
              jvmArgs, List.of("-jar", ItPaths.standaloneJar().toString()), ItHosts.AWS_CREDENTIALS, dir);
    }

    /**
     * Once this host has exported something (so the kill lands mid-stream, not during start-up),
     * SIGKILLs it, notes how far everything had got, and starts the next one.
     */
    Kill killAndRestart(int number, LineWriter writer) throws Exception {
      long before = receivedAtStart;
      boolean progressed =
          OtlpTestReceiver.await(PROGRESS_LIMIT, () -> receiver.logRecordCount() > before);
      assertThat(progressed).as("host %d exported something:%n%s", number - 1, output()).isTrue();
      int status = current.kill(20);
      // Read once the host is dead: every line it could have lost was written by then.
      Kill kill =
          new Kill(
              number,
              (System.nanoTime() - writer.startNanos()) / 1_000_000,
              writer.fileLines(),
              writer.cloudWatchLines(),
              receiver.logRecordCount(),
              receiver.logRequests().size(),
              receiver.metricRequests().size(),
              status);
      start();
      return kill;
    }

    String output() throws IOException {
      return current.output();
    }

    /** Ends the current host the normal way (SIGTERM: it flushes and exits). */
    void stop() throws InterruptedException {
      current.close();
    }

    @Override
    public void close() throws InterruptedException {
      stop();
    }
  }

  /** Kill k of n lands near k/(n+1) of the writing time, give or take an eighth of a slot. */
  private static long killOffsetNanos(int number, Random random) {
    long slot = WRITING.toNanos() / (KILLS + 1);
    long jitter = (long) ((random.nextDouble() - 0.5) * slot / 4);
    return slot * number + jitter;
  }

  /**
   * Waits until neither records nor API Gateway datapoints arrive for {@link #QUIET}; false if
   * never. (Metric exports themselves never stop: the plugin's own metrics go out every interval.)
   */
  private static boolean awaitQuiet(OtlpTestReceiver receiver) throws InterruptedException {
    long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
    List<Long> last = List.of();
    long quietSince = System.nanoTime();
    while (System.nanoTime() < deadline) {
      List<Long> now = List.of(receiver.logRecordCount(), apiGatewayPoints(receiver));
      if (!now.equals(last)) {
        last = now;
        quietSince = System.nanoTime();
      } else if (System.nanoTime() - quietSince >= QUIET.toNanos()) {
        return true;
      }
      Thread.sleep(250);
    }
    return false;
  }

  private static long apiGatewayPoints(OtlpTestReceiver receiver) {
    return receiver.metrics().stream()
        .map(ReceivedMetric::metric)
        .filter(metric -> metric.getName().startsWith("aws.apigateway."))
        .mapToLong(metric -> Deliveries.dataPoints(metric).size())
        .sum();
  }

  /**
   * The datapoints a host that never crashed exports for the same account: one {@code --once} run
   * with a fresh state directory.
   */
  private Set<String> referencePoints(FakeAwsServer aws) throws Exception {
    try (OtlpTestReceiver receiver = OtlpTestReceiver.start();
        ChildJvm host =
            ChildJvm.start(
                ItHosts.exportTo(
                    receiver,
                    "-Dotel.exporter.otlp.metrics.temporality.preference=delta",
                    "-Dotel.logs.exporter=none",
                    "-Dotel.apigateway.logs.enabled=false",
                    "-Dotel.apigateway.regions=" + REGION,
                    "-Dotel.apigateway.aws.endpoint=" + aws.endpoint(),
                    "-Dotel.apigateway.metrics.delay=0s",
                    "-Dotel.apigateway.metrics.lookback=5m",
                    "-Dotel.apigateway.state.dir=" + dir.resolve("reference-state")),
                List.of("-jar", ItPaths.standaloneJar().toString(), "--once"),
                ItHosts.AWS_CREDENTIALS,
                dir)) {
      assertThat(host.waitFor(120)).as(host.output()).isZero();
      return new Deliveries(List.of(), receiver.metricRequests(), List.of()).pointKeys();
    }
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long millis = (nanoTime - System.nanoTime()) / 1_000_000;
    if (millis > 0) {
      Thread.sleep(millis);
    }
  }

  private static int sum(Map<String, Integer> counts) {
    return counts.values().stream().mapToInt(Integer::intValue).sum();
  }

  private static String report(
      long seed,
      List<Kill> kills,
      Deliveries deliveries,
      Map<String, Integer> lostFile,
      Map<String, Integer> lostCloudWatch,
      int lostPoints,
      int referencePoints) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT,
        "CrashRestartIT seed=%d kills=%d: written file=%d cloudwatch=%d; records received=%d"
            + " (distinct=%d); lost file=%d cloudwatch=%d; repeated records=%d%n",
        seed, kills.size(), FILE_LINES, CLOUDWATCH_LINES, deliveries.recordCount(),
        deliveries.distinctRecords(), sum(lostFile), sum(lostCloudWatch), deliveries.repeatedRecords()));
    for (Kill kill : kills) {
      String key = "kill " + kill.number();
      out.append(String.format(Locale.ROOT,
          "  %s at %d ms (exit %d): written file=%d cloudwatch=%d, received=%d;"
              + " lost among lines written before it: file=%d cloudwatch=%d;"
              + " repeated by the next host: records=%d datapoints=%d%n",
          key, kill.atMillis(), kill.exitStatus(), kill.fileWritten(), kill.cloudWatchWritten(),
          kill.recordsReceived(), lostFile.getOrDefault(key, 0), lostCloudWatch.getOrDefault(key, 0),
          deliveries.repeatedRecords(kill.number()),
          deliveries.repeatedPointsPerHost().getOrDefault(kill.number(), 0)));
    }
    out.append(String.format(Locale.ROOT,
        "  after the last kill: lost file=%d cloudwatch=%d%n",
        lostFile.getOrDefault(Deliveries.AFTER_LAST_KILL, 0),
        lostCloudWatch.getOrDefault(Deliveries.AFTER_LAST_KILL, 0)));
    out.append(String.format(Locale.ROOT,
        "  lost lines, file: %s; cloudwatch: %s; repeated records per source: %s;"
            + " dropped by the SDK's full batch queue (as it reported): %d%n",
        deliveries.lostRuns("file"), deliveries.lostRuns("cloudwatch"),
        deliveries.repeatedRecordsPerSource(), deliveries.sdkDroppedRecords()));
    out.append(String.format(Locale.ROOT,
        "  datapoints: received=%d distinct=%d repeated=%d; reference run=%d, of those missing=%d",
        deliveries.pointCount(), deliveries.pointKeys().size(), deliveries.repeatedPoints(),
        referencePoints, lostPoints));
    return out.toString();
  }

  /** What the test saw at one kill: how far the writer and the backend had got. */
  private record Kill(
      int number,
      long atMillis,
      int fileWritten,
      int cloudWatchWritten,
      long recordsReceived,
      int logRequests,
      int metricRequests,
      int exitStatus) {}

  /**
   * Everything the backend received, in arrival order, sorted by the host that sent it (host 0 ran
   * before the first kill, host k after kill k): records by request id, datapoints by metric,
   * attributes and period.
   */
  private static final class Deliveries {

    static final String AFTER_LAST_KILL = "after the last kill";

    private final Map<String, Integer> records = new HashMap<>();
    private final Map<Integer, Integer> repeatedRecordsPerHost = new TreeMap<>();
    private final Map<String, Integer> repeatedRecordsPerSource = new TreeMap<>();
    private final Map<String, List<Integer>> lostLines = new HashMap<>();
    private final Map<String, Integer> points = new HashMap<>();
    private final Map<String, long[]> periodRangeByMetric = new HashMap<>();
    private final Map<Integer, Integer> repeatedPointsPerHost = new TreeMap<>();
    private final List<Kill> kills;
    private int recordCount;
    private int pointCount;
    private int unidentified;
    private long sdkDroppedRecords;

    Deliveries(
        List<ExportLogsServiceRequest> logRequests,
        List<ExportMetricsServiceRequest> metricRequests,
        List<Kill> kills) {
      this.kills = kills;
      for (int index = 0; index < logRequests.size(); index++) {
        int host = hostOf(index, Kill::logRequests);
        for (ResourceLogs resourceLogs : logRequests.get(index).getResourceLogsList()) {
          for (ScopeLogs scopeLogs : resourceLogs.getScopeLogsList()) {
            for (LogRecord record : scopeLogs.getLogRecordsList()) {
              countRecord(host, record);
            }
          }
        }
      }
      for (int index = 0; index < metricRequests.size(); index++) {
        int host = hostOf(index, Kill::metricRequests);
        for (ResourceMetrics resourceMetrics : metricRequests.get(index).getResourceMetricsList()) {
          for (ScopeMetrics scopeMetrics : resourceMetrics.getScopeMetricsList()) {
            for (Metric metric : scopeMetrics.getMetricsList()) {
              if (metric.getName().startsWith("aws.apigateway.")) {
                dataPoints(metric).forEach(point -> countPoint(host, metric.getName(), point));
              } else {
                countSdkDrops(metric);
              }
            }
          }
        }
      }
    }

    /** Requests that arrived before kill k's snapshot came from hosts before it. */
    private int hostOf(int requestIndex, Function<Kill, Integer> requestsAtKill) {
      int host = 0;
      for (Kill kill : kills) {
        if (requestIndex >= requestsAtKill.apply(kill)) {
          host = kill.number();
        }
      }
      return host;
    }

    private void countRecord(int host, LogRecord record) {
      recordCount++;
      String id = attribute(record.getAttributesList(), "aws.request_id");
      if (id.isEmpty()) {
        unidentified++;
      } else if (records.merge(id, 1, Integer::sum) > 1) {
        repeatedRecordsPerHost.merge(host, 1, Integer::sum);
        repeatedRecordsPerSource.merge(id.substring(0, id.indexOf('-')), 1, Integer::sum);
      }
    }

    private void countPoint(int host, String metric, NumberDataPoint point) {
      pointCount++;
      Map<String, String> attributes = new TreeMap<>();
      point.getAttributesList().forEach(kv -> attributes.put(kv.getKey(), kv.getValue().toString()));
      String key = metric + attributes + point.getStartTimeUnixNano() + "/" + point.getTimeUnixNano();
      if (points.merge(key, 1, Integer::sum) > 1) {
        repeatedPointsPerHost.merge(host, 1, Integer::sum);
      }
      long[] range =
          periodRangeByMetric.computeIfAbsent(metric, name -> new long[] {Long.MAX_VALUE, 0});
      range[0] = Math.min(range[0], point.getTimeUnixNano());
      range[1] = Math.max(range[1], point.getTimeUnixNano());
    }

    /**
     * The SDK's own count of log records its batch processor dropped because its queue was full
     * (legacy {@code processedLogs{dropped=true}} or semconv {@code
     * otel.sdk.processor.log.processed} with an {@code error.type}); delta, so summed. A lower
     * bound: a killed host never exports its last count.
     */
    private void countSdkDrops(Metric metric) {
      boolean legacy = metric.getName().equals("processedLogs");
      boolean semconv = metric.getName().equals("otel.sdk.processor.log.processed");
      if (!legacy && !semconv) {
        return;
      }
      for (NumberDataPoint point : dataPoints(metric)) {
        boolean dropped =
            point.getAttributesList().stream()
                .anyMatch(kv -> legacy
                    ? kv.getKey().equals("dropped") && kv.getValue().getBoolValue()
                    : kv.getKey().equals("error.type"));
        if (dropped) {
          sdkDroppedRecords += point.getAsInt();
        }
      }
    }

    long sdkDroppedRecords() {
      return sdkDroppedRecords;
    }

    private static List<NumberDataPoint> dataPoints(Metric metric) {
      return metric.hasSum()
          ? metric.getSum().getDataPointsList()
          : metric.hasGauge() ? metric.getGauge().getDataPointsList() : List.of();
    }

    private static String attribute(List<KeyValue> attributes, String key) {
      for (KeyValue kv : attributes) {
        if (kv.getKey().equals(key)) {
          return kv.getValue().getStringValue();
        }
      }
      return "";
    }

    /**
     * Lines of {@code source} never received, keyed by the first kill they were written before
     * (the kill that lost them), or {@link #AFTER_LAST_KILL}.
     */
    Map<String, Integer> lostPerKill(String source, int lines, Function<Kill, Integer> writtenAtKill) {
      Map<String, Integer> lost = new TreeMap<>();
      for (int line = 1; line <= lines; line++) {
        if (!records.containsKey(LineWriter.requestId(source, line))) {
          String when = AFTER_LAST_KILL;
          for (Kill kill : kills) {
            if (line <= writtenAtKill.apply(kill)) {
              when = "kill " + kill.number();
              break;
            }
          }
          lost.merge(when, 1, Integer::sum);
          lostLines.computeIfAbsent(source, name -> new ArrayList<>()).add(line);
        }
      }
      return lost;
    }

    /** The lost lines of {@code source} as runs of consecutive numbers, e.g. {@code 1201-1733}. */
    String lostRuns(String source) {
      List<String> runs = new ArrayList<>();
      List<Integer> lines = lostLines.getOrDefault(source, List.of());
      for (int start = 0; start < lines.size(); ) {
        int end = start;
        while (end + 1 < lines.size() && lines.get(end + 1) == lines.get(end) + 1) {
          end++;
        }
        runs.add(lines.get(start) + (end > start ? "-" + lines.get(end) : ""));
        start = end + 1;
      }
      return runs.toString();
    }

    /**
     * Points of {@code expected} missing here, among the periods this run covered (per metric, from
     * its first to its last period received: the reference run looked back from a later moment).
     */
    int missingPoints(Set<String> expected) {
      int missing = 0;
      for (String key : expected) {
        String metric = key.substring(0, key.indexOf('{'));
        long time = Long.parseLong(key.substring(key.lastIndexOf('/') + 1));
        long[] range = periodRangeByMetric.get(metric);
        boolean covered = range != null && time >= range[0] && time <= range[1];
        if ((covered || range == null) && !points.containsKey(key)) {
          missing++;
        }
      }
      return missing;
    }

    int recordCount() {
      return recordCount;
    }

    int distinctRecords() {
      return records.size();
    }

    int unidentified() {
      return unidentified;
    }

    int repeatedRecords() {
      return repeatedRecordsPerHost.values().stream().mapToInt(Integer::intValue).sum();
    }

    Map<String, Integer> repeatedRecordsPerSource() {
      return repeatedRecordsPerSource;
    }

    int repeatedRecords(int host) {
      return repeatedRecordsPerHost.getOrDefault(host, 0);
    }

    int pointCount() {
      return pointCount;
    }

    Set<String> pointKeys() {
      return new HashSet<>(points.keySet());
    }

    int repeatedPoints() {
      return repeatedPointsPerHost.values().stream().mapToInt(Integer::intValue).sum();
    }

    Map<Integer, Integer> repeatedPointsPerHost() {
      return repeatedPointsPerHost;
    }
  }

  /**
   * Appends uniquely numbered seed-format lines, evenly over {@link #WRITING}, to the access-log
   * file and to CloudWatch Logs, from its own thread.
   */
  private static final class LineWriter implements AutoCloseable {

    private static final long TICK_MILLIS = 20;

    private final Path file;
    private final CloudWatchLogsSimulator logs;
    private final AtomicInteger fileLines = new AtomicInteger();
    private final AtomicInteger cloudWatchLines = new AtomicInteger();
    private final Thread thread = new Thread(this::run, "crash-line-writer");
    private volatile boolean stopped;
    private volatile long startNanos;
    private volatile Exception failure;

    LineWriter(Path file, CloudWatchLogsSimulator logs) {
      this.file = file;
      this.logs = logs;
      thread.setDaemon(true);
    }

    static String requestId(String source, int line) {
      return String.format(Locale.ROOT, "%s-%07d", source, line);
    }

    void start() {
      startNanos = System.nanoTime();
      thread.start();
    }

    long startNanos() {
      return startNanos;
    }

    int fileLines() {
      return fileLines.get();
    }

    int cloudWatchLines() {
      return cloudWatchLines.get();
    }

    Exception failure() {
      return failure;
    }

    boolean awaitEnd(Duration timeout) throws InterruptedException {
      thread.join(timeout.toMillis());
      return !thread.isAlive();
    }

    private void run() {
      long ticks = Math.max(1, WRITING.toMillis() / TICK_MILLIS);
      try (BufferedWriter out =
          Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
        for (long tick = 1; tick <= ticks && !stopped; tick++) {
          int fileTarget = (int) (FILE_LINES * tick / ticks);
          int written = fileLines.get();
          while (written < fileTarget) {
            written++;
            out.write(line(requestId("file", written)));
            out.newLine();
          }
          out.flush();
          fileLines.set(written);
          int cloudWatchTarget = (int) (CLOUDWATCH_LINES * tick / ticks);
          for (int line = cloudWatchLines.get() + 1; line <= cloudWatchTarget; line++) {
            logs.putLogEvent(LOG_GROUP, "stream-" + line % 3, System.currentTimeMillis(),
                line(requestId("cloudwatch", line)));
            cloudWatchLines.set(line);
          }
          sleepUntil(startNanos + tick * TICK_MILLIS * 1_000_000);
        }
      } catch (IOException | InterruptedException e) {
        failure = e;
      }
    }

    private static String line(String requestId) {
      return String.format(Locale.ROOT,
          "{ \"apiId\": \"a1b2c3d4e5\", \"stage\": \"prod\", \"requestId\":\"%s\","
              + " \"ip\":\"203.0.113.10\", \"caller\":\"-\", \"user\":\"-\", \"requestTime\":%d,"
              + " \"httpMethod\":\"GET\", \"resourcePath\":\"/pets\", \"status\":200,"
              + " \"protocol\":\"HTTP/1.1\", \"responseLength\":%d }",
          requestId, System.currentTimeMillis(), requestId.hashCode() & 0xfff);
    }

    @Override
    public void close() throws InterruptedException {
      stopped = true;
      thread.join(10_000);
    }
  }
}
