package io.github.apigatewayotel.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.apigatewayotel.testing.aws.CloudWatchLogsSimulator;
import io.github.apigatewayotel.testing.aws.FakeAwsServer;
import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import io.github.apigatewayotel.testing.otlp.ReceivedMetric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5, "Crash": the standalone host is killed with SIGKILL at random moments while access-log
 * lines flow (appended to a file and put into CloudWatch Logs) and metrics are polled, and is
 * restarted each time with the same state directory. No line and no datapoint may be lost. None may
 * be repeated either, with one unavoidable exception: a kill that lands after the backend accepted
 * an export but before the checkpoint behind it was saved repeats that one export, so each restart
 * may repeat at most one export batch of records per log source and one metrics export's
 * datapoints. Lines carry unique request ids, so the backend's records say exactly which were lost
 * or repeated; datapoints are compared with a reference {@code --once} run that never crashed.
 *
 * <p>Longer runs: {@code -Dcrash.kills=10 -Dcrash.lines=100000 -Dcrash.seconds=60}; {@code
 * -Dcrash.seed=N} replays the kill moments of a run (each run prints its seed).
 */
class CrashRestartIT {

  private static final String ACCOUNT = "123456789012";
  private static final String REGION = "us-east-1";
  static final String LOG_GROUP = "api-gateway-crash";

  /** The SDK's default {@code otel.blrp.max.export.batch.size}: the most one export can repeat. */
  private static final int MAX_EXPORT_BATCH = 512;

  /** The file and the CloudWatch Logs group: each may repeat its own piece at a kill. */
  private static final int LOG_SOURCES = 2;

  /** SIGKILL's exit status: 128 + signal 9. */
  private static final int KILLED_STATUS = 137;

  private static final int KILLS = Integer.getInteger("crash.kills", 3);
  static final int FILE_LINES = Integer.getInteger("crash.lines", 20_000);
  static final int CLOUDWATCH_LINES = Integer.getInteger("crash.cloudwatch.lines", FILE_LINES / 4);
  static final Duration WRITING = Duration.ofSeconds(Long.getLong("crash.seconds", 15));

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
        CrashLineWriter writer = new CrashLineWriter(accessLog, logs);
        RestartedHost host =
            new RestartedHost(
                hostArguments(receiver, aws, accessLog, dir.resolve("state")), receiver)) {
      List<Kill> kills = new ArrayList<>();
      writer.start();
      for (int number = 1; number <= KILLS; number++) {
        sleepUntil(writer.startNanos() + killOffsetNanos(number, random));
        kills.add(host.killAndRestart(number, writer));
      }
      assertThat(writer.awaitEnd(WRITING.plusSeconds(60))).as("writer finished").isTrue();
      boolean drained = awaitQuiet(receiver);
      String lastOutput = host.output();

      CrashDeliveries deliveries =
          new CrashDeliveries(receiver.logRequests(), receiver.metricRequests(), kills);
      Map<String, Integer> lostFile = deliveries.lostPerKill("file", FILE_LINES, Kill::fileWritten);
      Map<String, Integer> lostCloudWatch =
          deliveries.lostPerKill("cloudwatch", CLOUDWATCH_LINES, Kill::cloudWatchWritten);
      host.stop();
      Set<String> expectedPoints = referencePoints(aws);
      int lostPoints = deliveries.missingPoints(expectedPoints);
      System.out.println(
          report(
              seed,
              kills,
              deliveries,
              lostFile,
              lostCloudWatch,
              lostPoints,
              expectedPoints.size()));

      SoftAssertions softly = new SoftAssertions();
      softly.assertThat(writer.failure()).as("writer failure").isNull();
      softly.assertThat(drained).as("the last host drained within %s", DRAIN_LIMIT).isTrue();
      for (Kill kill : kills) {
        softly
            .assertThat(kill.exitStatus())
            .as("kill %d ended the host by SIGKILL", kill.number())
            .isEqualTo(KILLED_STATUS);
        softly
            .assertThat(kill.fileWritten())
            .as("kill %d landed while lines flowed", kill.number())
            .isLessThan(FILE_LINES);
      }
      softly
          .assertThat(deliveries.unidentified())
          .as("records without a known request id")
          .isZero();
      softly.assertThat(sum(lostFile)).as("file lines lost, per kill: %s", lostFile).isZero();
      softly
          .assertThat(sum(lostCloudWatch))
          .as("CloudWatch lines lost, per kill: %s", lostCloudWatch)
          .isZero();
      softly
          .assertThat(deliveries.repeatedRecords(0))
          .as("records repeated before any kill")
          .isZero();
      for (int number = 1; number <= KILLS; number++) {
        // The kill's window: each source's piece the backend stored before its checkpoint was
        // saved, and the metrics export the backend stored before the exported marks were.
        softly
            .assertThat(deliveries.repeatedRecords(number))
            .as("records repeated after kill %d (at most one export batch per source)", number)
            .isLessThanOrEqualTo(MAX_EXPORT_BATCH * LOG_SOURCES);
        softly
            .assertThat(deliveries.repeatedPointsPerHost().getOrDefault(number, 0))
            .as("datapoints repeated after kill %d (at most one metrics export)", number)
            .isLessThanOrEqualTo(deliveries.largestMetricsExport(number - 1));
      }
      softly.assertThat(deliveries.pointCount()).as("datapoints received").isPositive();
      softly.assertThat(expectedPoints).as("datapoints of the reference run").isNotEmpty();
      softly.assertThat(lostPoints).as("datapoints lost").isZero();
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
              jvmArgs,
              List.of("-jar", ItPaths.standaloneJar().toString()),
              ItHosts.AWS_CREDENTIALS,
              dir);
    }

    /**
     * Once this host has exported something (so the kill lands mid-stream, not during start-up),
     * SIGKILLs it, notes how far everything had got, and starts the next one.
     */
    Kill killAndRestart(int number, CrashLineWriter writer) throws Exception {
      long before = receivedAtStart;
      await()
          .atMost(PROGRESS_LIMIT)
          .untilAsserted(
              () ->
                  assertThat(receiver.logRecordCount())
                      .as(
                          () ->
                              String.format(
                                  "host %d exported something:%n%s",
                                  number - 1, current.outputForMessage()))
                      .isGreaterThan(before));
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
  private static boolean awaitQuiet(OtlpTestReceiver receiver) {
    AtomicReference<List<Long>> last = new AtomicReference<>(List.of());
    try {
      await()
          .during(QUIET) // unchanged at every poll for this long
          .atMost(DRAIN_LIMIT)
          .pollInterval(Duration.ofMillis(250))
          .until(
              () -> {
                List<Long> now = List.of(receiver.logRecordCount(), apiGatewayPoints(receiver));
                return now.equals(last.getAndSet(now));
              });
      return true;
    } catch (ConditionTimeoutException e) {
      return false; // a soft assertion of the caller's says so, beside the others
    }
  }

  private static long apiGatewayPoints(OtlpTestReceiver receiver) {
    return receiver.metrics().stream()
        .map(ReceivedMetric::metric)
        .filter(metric -> metric.getName().startsWith("aws.apigateway."))
        .mapToLong(metric -> CrashDeliveries.dataPoints(metric).size())
        .sum();
  }

  /**
   * The datapoints a host that never crashed exports for the same account: one {@code --once} run
   * with a fresh state directory.
   */
  private Set<String> referencePoints(FakeAwsServer aws) throws Exception {
    try (OtlpTestReceiver receiver = OtlpTestReceiver.start()) {
      ItHosts.pollMetricsOnce(
          receiver,
          aws,
          REGION,
          dir.resolve("reference-state"),
          dir,
          "-Dotel.exporter.otlp.metrics.temporality.preference=delta");
      return new CrashDeliveries(List.of(), receiver.metricRequests(), List.of()).pointKeys();
    }
  }

  static void sleepUntil(long nanoTime) throws InterruptedException {
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
      CrashDeliveries deliveries,
      Map<String, Integer> lostFile,
      Map<String, Integer> lostCloudWatch,
      int lostPoints,
      int referencePoints) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "CrashRestartIT seed=%d kills=%d: written file=%d cloudwatch=%d; records received=%d"
                + " (distinct=%d); lost file=%d cloudwatch=%d; repeated records=%d%n",
            seed,
            kills.size(),
            FILE_LINES,
            CLOUDWATCH_LINES,
            deliveries.recordCount(),
            deliveries.distinctRecords(),
            sum(lostFile),
            sum(lostCloudWatch),
            deliveries.repeatedRecords()));
    for (Kill kill : kills) {
      String key = "kill " + kill.number();
      out.append(
          String.format(
              Locale.ROOT,
              "  %s at %d ms (exit %d): written file=%d cloudwatch=%d, received=%d;"
                  + " lost among lines written before it: file=%d cloudwatch=%d;"
                  + " repeated by the next host: records=%d datapoints=%d%n",
              key,
              kill.atMillis(),
              kill.exitStatus(),
              kill.fileWritten(),
              kill.cloudWatchWritten(),
              kill.recordsReceived(),
              lostFile.getOrDefault(key, 0),
              lostCloudWatch.getOrDefault(key, 0),
              deliveries.repeatedRecords(kill.number()),
              deliveries.repeatedPointsPerHost().getOrDefault(kill.number(), 0)));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "  after the last kill: lost file=%d cloudwatch=%d%n",
            lostFile.getOrDefault(CrashDeliveries.AFTER_LAST_KILL, 0),
            lostCloudWatch.getOrDefault(CrashDeliveries.AFTER_LAST_KILL, 0)));
    out.append(
        String.format(
            Locale.ROOT,
            "  lost lines, file: %s; cloudwatch: %s; repeated records per source: %s;"
                + " dropped by the SDK's full batch queue (as it reported): %d%n",
            deliveries.lostRuns("file"),
            deliveries.lostRuns("cloudwatch"),
            deliveries.repeatedRecordsPerSource(),
            deliveries.sdkDroppedRecords()));
    out.append(
        String.format(
            Locale.ROOT,
            "  datapoints: received=%d distinct=%d repeated=%d; reference run=%d, of those missing=%d",
            deliveries.pointCount(),
            deliveries.pointKeys().size(),
            deliveries.repeatedPoints(),
            referencePoints,
            lostPoints));
    return out.toString();
  }

  /** What the test saw at one kill: how far the writer and the backend had got. */
  record Kill(
      int number,
      long atMillis,
      int fileWritten,
      int cloudWatchWritten,
      long recordsReceived,
      int logRequests,
      int metricRequests,
      int exitStatus) {}
}
