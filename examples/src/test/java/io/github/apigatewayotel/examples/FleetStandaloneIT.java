package io.github.apigatewayotel.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.apigatewayotel.testing.aws.AwsRequest;
import io.github.apigatewayotel.testing.aws.AwsResponse;
import io.github.apigatewayotel.testing.aws.FakeAwsServer;
import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import io.github.apigatewayotel.testing.dynamodb.DynaliteExtension;
import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, fleet mode across processes: three standalone hosts share one simulated account's
 * metrics through a DynamoDB table (dynalite). Only the replica holding the region's metrics lease
 * calls CloudWatch; it is killed with SIGKILL, a survivor takes the lease over once it expired (30
 * s, the default lease time), and the backend receives every datapoint of the run exactly once:
 * none repeated, none missing against a reference {@code --once} run that never crashed. The killed
 * replica is then restarted: it joins the fleet, finds the lease held, and polls nothing.
 *
 * <p>Each replica's AWS SDK names it in its User-Agent ({@code sdk.ua.appId}), so the simulated
 * account tells whose CloudWatch requests it answered.
 */
class FleetStandaloneIT {

  @RegisterExtension static final DynaliteExtension DYNAMODB = new DynaliteExtension();

  private static final String ACCOUNT = "123456789012";
  private static final String REGION = "us-east-1";
  private static final String TABLE = "apigateway-otel-fleet-it";
  private static final int REPLICAS = 3;

  /** SIGKILL's exit status: 128 + signal 9. */
  private static final int KILLED_STATUS = 137;

  private static final Pattern APP_ID = Pattern.compile("app/(\\S+)");

  @TempDir Path dir;

  /** CloudWatch requests ({@code monitoring}) per replica and operation. */
  private final Map<String, Map<String, AtomicLong>> cloudWatchCalls = new ConcurrentHashMap<>();

  @Test
  void killedLeaseHolderIsReplacedAndEveryDatapointArrivesOnce() throws Exception {
    SimulatedAccount account = SimulatedAccount.demo(ACCOUNT, REGION, 11);
    List<ChildJvm> replicas = new ArrayList<>();
    try (FakeAwsServer aws = ItHosts.serve(account).intercept(this::countCloudWatchCall);
        OtlpTestReceiver receiver = OtlpTestReceiver.start()) {
      long startNanos = System.nanoTime();
      for (int number = 1; number <= REPLICAS; number++) {
        replicas.add(startReplica("replica-" + number, number, receiver, aws));
      }

      // Data flows, from one replica only.
      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () ->
                  assertThat(receiver.apiGatewayPointCount())
                      .as(
                          () ->
                              "datapoints received; replica 1's output:\n"
                                  + replicas.get(0).outputForMessage())
                      .isPositive());
      Thread.sleep(3_000); // a few more polls, so a second poller would show
      Map<String, Long> callsBeforeKill = getMetricDataCalls();
      assertThat(callsBeforeKill).as("GetMetricData calls per replica before the kill").hasSize(1);
      String holder = callsBeforeKill.keySet().iterator().next();
      int holderIndex = Integer.parseInt(holder.substring("replica-".length())) - 1;
      long firstDataSeconds = (System.nanoTime() - startNanos) / 1_000_000_000;

      // SIGKILL the holder: its lease stays in the table until it expires.
      long killMillis = System.currentTimeMillis();
      long killNanos = System.nanoTime();
      long pointsAtKill = receiver.apiGatewayPointCount();
      int killStatus = replicas.get(holderIndex).kill(20);

      AtomicLong takeoverNanos = new AtomicLong();
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(
              () -> {
                Map<String, Long> calls = getMetricDataCalls();
                calls.remove(holder);
                assertThat(calls).as("GetMetricData calls of the survivors").isNotEmpty();
              });
      takeoverNanos.set(System.nanoTime() - killNanos);
      // The survivor exports what the holder left: every period up to one that ended after the
      // kill.
      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () ->
                  assertThat(latestPeriodEndMillis(receiver))
                      .as("latest period received")
                      .isGreaterThan(killMillis));
      long pointsAfterTakeover = receiver.apiGatewayPointCount() - pointsAtKill;

      // The killed replica comes back: it joins the fleet, finds the lease held, and polls nothing.
      String restarted = holder + "-restarted";
      ChildJvm comeback = startReplica(restarted, holderIndex + 1, receiver, aws);
      replicas.add(comeback);
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(comeback.output())
                      .as("restarted replica joined the fleet")
                      .contains(
                          "fleet mode: units of work shared through the DynamoDB table " + TABLE));
      long callsAtComeback =
          getMetricDataCalls().values().stream().mapToLong(Long::longValue).sum();
      // Over a lease cycle (10 s) and then some: the restarted replica never calls GetMetricData.
      await()
          .during(Duration.ofSeconds(15))
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(getMetricDataCalls())
                      .as("GetMetricData calls per replica")
                      .doesNotContainKey(restarted));
      long callsWhileBack =
          getMetricDataCalls().values().stream().mapToLong(Long::longValue).sum() - callsAtComeback;
      Map<String, Long> callsAfterKill = subtract(getMetricDataCalls(), callsBeforeKill);
      Map<String, Long> allCalls = cloudWatchCallsPerReplica();
      for (ChildJvm replica : replicas) {
        replica.close(); // SIGTERM: the survivors flush and release their leases
      }
      long fleetSeconds = (System.nanoTime() - startNanos) / 1_000_000_000;

      CrashDeliveries fleet = new CrashDeliveries(List.of(), receiver.metricRequests(), List.of());
      Set<String> expected = referencePoints(aws);
      int missing = fleet.missingPoints(expected);
      System.out.printf(
          Locale.ROOT,
          "FleetStandaloneIT: %d replicas; first datapoints after %d s; holder %s killed (exit %d);"
              + " takeover (first GetMetricData of a survivor) %d ms after the kill;"
              + " GetMetricData calls before the kill %s, after it %s; CloudWatch requests per replica"
              + " and operation %s; datapoints received %d (after the kill %d), distinct %d, repeated %d;"
              + " reference run %d, of those missing %d; GetMetricData calls while %s was back %d;"
              + " fleet ran %d s%n",
          REPLICAS,
          firstDataSeconds,
          holder,
          killStatus,
          takeoverNanos.get() / 1_000_000,
          callsBeforeKill,
          callsAfterKill,
          cloudWatchCalls,
          fleet.pointCount(),
          pointsAfterTakeover,
          fleet.pointKeys().size(),
          fleet.repeatedPoints(),
          expected.size(),
          missing,
          restarted,
          callsWhileBack,
          fleetSeconds);

      SoftAssertions softly = new SoftAssertions();
      softly.assertThat(killStatus).as("the holder ended by SIGKILL").isEqualTo(KILLED_STATUS);
      softly
          .assertThat(callsAfterKill)
          .as("GetMetricData calls per replica after the kill")
          .hasSize(1)
          .doesNotContainKey(holder);
      softly
          .assertThat(allCalls)
          .as("replicas that ever called CloudWatch")
          .hasSize(2)
          .doesNotContainKey(restarted);
      softly
          .assertThat(takeoverNanos.get())
          .as("takeover no earlier than the lease time (30 s)")
          .isGreaterThanOrEqualTo(Duration.ofSeconds(24).toNanos());
      softly
          .assertThat(pointsAfterTakeover)
          .as("datapoints exported by the new holder")
          .isPositive();
      softly.assertThat(fleet.pointCount()).as("datapoints received").isPositive();
      softly.assertThat(expected).as("datapoints of the reference run").isNotEmpty();
      softly.assertThat(fleet.repeatedPoints()).as("datapoints repeated").isZero();
      softly.assertThat(missing).as("datapoints of the reference run missing").isZero();
      softly.assertAll();
    } finally {
      for (ChildJvm replica : replicas) {
        replica.close();
      }
    }
  }

  /**
   * A standalone host in the fleet, named {@code name} in its User-Agent, with state directory
   * {@code number}.
   */
  private ChildJvm startReplica(
      String name, int number, OtlpTestReceiver receiver, FakeAwsServer aws) throws Exception {
    List<String> args =
        ItHosts.concat(
            ItHosts.exportTo(
                receiver,
                // One point per CloudWatch period, so a point's key says whether it came twice.
                "-Dotel.exporter.otlp.metrics.temporality.preference=delta",
                "-Dotel.logs.exporter=none"),
            ItHosts.quickPlugin(aws, REGION),
            List.of(
                "-Dotel.apigateway.logs.enabled=false",
                "-Dotel.apigateway.metrics.interval=5s",
                "-Dotel.apigateway.state.dir=" + dir.resolve("state-" + number),
                "-Dotel.apigateway.coordination=dynamodb:" + TABLE,
                "-Dotel.apigateway.coordination.endpoint=" + DYNAMODB.endpoint(),
                "-Dsdk.ua.appId=" + name));
    return ChildJvm.start(
        args, List.of("-jar", ItPaths.standaloneJar().toString()), ItHosts.AWS_CREDENTIALS, dir);
  }

  private Optional<AwsResponse> countCloudWatchCall(AwsRequest request) {
    if ("monitoring".equals(request.service())) {
      String agent = String.valueOf(request.header("User-Agent"));
      Matcher matcher = APP_ID.matcher(agent);
      String replica = matcher.find() ? matcher.group(1) : "unknown (" + agent + ")";
      cloudWatchCalls
          .computeIfAbsent(replica, key -> new ConcurrentHashMap<>())
          .computeIfAbsent(FakeAwsServer.operationOf(request), key -> new AtomicLong())
          .incrementAndGet();
    }
    return Optional.empty();
  }

  /** GetMetricData calls so far, per replica that made any. */
  private Map<String, Long> getMetricDataCalls() {
    Map<String, Long> calls = new TreeMap<>();
    cloudWatchCalls.forEach(
        (replica, operations) ->
            operations.forEach(
                (operation, count) -> {
                  if (operation.endsWith("GetMetricData")) {
                    calls.merge(replica, count.get(), Long::sum);
                  }
                }));
    return calls;
  }

  private Map<String, Long> cloudWatchCallsPerReplica() {
    Map<String, Long> calls = new TreeMap<>();
    cloudWatchCalls.forEach(
        (replica, operations) ->
            operations.values().forEach(count -> calls.merge(replica, count.get(), Long::sum)));
    return calls;
  }

  private static Map<String, Long> subtract(Map<String, Long> now, Map<String, Long> before) {
    Map<String, Long> difference = new TreeMap<>();
    now.forEach(
        (replica, count) -> {
          long more = count - before.getOrDefault(replica, 0L);
          if (more > 0) {
            difference.put(replica, more);
          }
        });
    return difference;
  }

  private static long latestPeriodEndMillis(OtlpTestReceiver receiver) {
    long latest = 0;
    for (var request : receiver.metricRequests()) {
      for (var resourceMetrics : request.getResourceMetricsList()) {
        for (var scopeMetrics : resourceMetrics.getScopeMetricsList()) {
          for (Metric metric : scopeMetrics.getMetricsList()) {
            if (metric.getName().startsWith("aws.apigateway.")) {
              for (NumberDataPoint point : CrashDeliveries.dataPoints(metric)) {
                latest = Math.max(latest, point.getTimeUnixNano() / 1_000_000);
              }
            }
          }
        }
      }
    }
    return latest;
  }

  /** The datapoints one host that never crashed exports: a {@code --once} run, fresh state. */
  private Set<String> referencePoints(FakeAwsServer aws) throws Exception {
    try (OtlpTestReceiver receiver = OtlpTestReceiver.start()) {
      ItHosts.pollMetricsOnce(
          receiver,
          aws,
          REGION,
          dir.resolve("reference-state"),
          dir,
          "-Dotel.exporter.otlp.metrics.temporality.preference=delta",
          "-Dsdk.ua.appId=reference");
      return new CrashDeliveries(List.of(), receiver.metricRequests(), List.of()).pointKeys();
    }
  }
}
