package io.github.apigatewayotel.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.state.fleet.Fleet;
import io.github.apigatewayotel.testing.dynamodb.DynaliteExtension;
import io.github.apigatewayotel.testing.net.CuttableProxy;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Two replicas of the receiver in fleet mode (issue 18) against one simulated account and a real
 * DynamoDB implementation (dynalite): one polls (the account's GetMetricData calls are one
 * replica's), a takeover after a kill continues from the shared marks (no period lost or twice),
 * and a paused replica that resumes discards what it collected under the lease it lost.
 */
class FleetReceiverTest {

  @RegisterExtension static final DynaliteExtension DYNAMODB = new DynaliteExtension();

  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final String STAGE =
      "arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/stages/prod";

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private ReceiverHarness harness;
  private DynamoDbClient dynamo;

  @BeforeEach
  void setUp() throws Exception {
    harness = ReceiverHarness.demo();
    dynamo =
        DynamoDbClient.builder()
            .endpointOverride(DYNAMODB.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .httpClient(UrlConnectionHttpClient.create())
            .build();
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
    dynamo.close();
  }

  private Fleet fleet(String owner) {
    return fleet(owner, dynamo, "fleet-receiver-" + ProcessHandle.current().pid());
  }

  private Fleet fleet(String owner, DynamoDbClient client, String table) {
    return Fleet.builder(client, table)
        .setOwner(owner)
        .setLeaseTime(LEASE)
        .setNanoTime(nanos::get)
        .build();
  }

  private static void assertEachPeriodOnceAndNoneLost(List<ReceiverHarness.Point> points) {
    Set<String> keys = new HashSet<>();
    for (ReceiverHarness.Point p : points) {
      assertThat(keys.add(ExactlyOnceTest.key(p)))
          .as("exported twice: %s", ExactlyOnceTest.key(p))
          .isTrue();
    }
    TreeSet<Long> periods =
        new TreeSet<>(ExactlyOnceTest.periodsOf(points, "aws.apigateway.latency.p99", STAGE));
    assertThat(periods.size()).isGreaterThan(8);
    assertThat(periods.last() - periods.first()).isEqualTo(60L * (periods.size() - 1));
  }

  /**
   * A partition: the holder reaches CloudWatch and the OTLP backend but not DynamoDB (its client
   * goes through a proxy the test cuts). It stops exporting at its first failed renewal or mark
   * write; the other takes over; no period is exported twice or lost.
   */
  @Test
  void aPartitionedHolderStopsAndTheOtherTakesOverWithoutRepeats() throws Exception {
    String table = "fleet-partition-" + ProcessHandle.current().pid();
    try (CuttableProxy proxy = CuttableProxy.start(DYNAMODB.endpoint());
        DynamoDbClient throughProxy =
            DynamoDbClient.builder()
                .endpointOverride(proxy.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
      Fleet fleetA = fleet("a", throughProxy, table);
      Fleet fleetB = fleet("b", dynamo, table);
      var a =
          harness.export(
              harness.receiverBuilder().lookback(Duration.ofMinutes(5)).fleet(fleetA).build());
      var b =
          harness.export(
              harness.receiverBuilder().lookback(Duration.ofMinutes(5)).fleet(fleetB).build());
      try {
        a.pollAndExport();
        b.pollAndExport();
        fleetA.cycle();
        fleetB.cycle();
        for (int i = 0; i < 3; i++) {
          a.pollAndExport();
          b.pollAndExport();
          minute();
          fleetA.cycle();
          fleetB.cycle();
        }
        int beforeCut = harness.points().size();
        assertThat(beforeCut).isPositive();
        proxy.cut(); // A still reaches CloudWatch and OTLP
        for (int i = 0; i < 6; i++) {
          a.pollAndExport();
          b.pollAndExport();
          minute();
          fleetA.cycle();
          fleetB.cycle();
        }
        assertThat(fleetA.problem()).contains(table);
        assertThat(
                fleetB.lease("metrics|" + ReceiverHarness.ACCOUNT + "|" + ReceiverHarness.REGION))
            .isPresent();
        assertEachPeriodOnceAndNoneLost(harness.points());
        assertThat(harness.points().size()).isGreaterThan(beforeCut);
      } finally {
        fleetA.close();
        fleetB.close();
      }
    }
  }

  private void minute() {
    harness.clock.advance(Duration.ofMinutes(1));
    nanos.addAndGet(LEASE.dividedBy(3).toNanos());
  }

  @Test
  void onePollsATakeoverContinuesAndAPausedReplicaExportsNothing() {
    Fleet fleetA = fleet("a");
    Fleet fleetB = fleet("b");
    var a =
        harness.export(
            harness.receiverBuilder().lookback(Duration.ofMinutes(5)).fleet(fleetA).build());
    var b =
        harness.export(
            harness.receiverBuilder().lookback(Duration.ofMinutes(5)).fleet(fleetB).build());
    try {
      assertThat(a.pollAndExport().getMetricDataCalls()).isZero(); // account resolved; no lease yet
      assertThat(b.pollAndExport().getMetricDataCalls()).isZero();
      fleetA.cycle();
      fleetB.cycle(); // one unit, held by A: B's fair share is met (no steal)
      long calls = 0;
      for (int i = 0; i < 3; i++) {
        calls += a.pollAndExport().getMetricDataCalls();
        calls += b.pollAndExport().getMetricDataCalls();
        minute();
        fleetA.cycle();
        fleetB.cycle();
      }
      assertThat(calls).isPositive();
      assertThat(harness.aws.requestCount("GetMetricData")).isEqualTo(calls); // one replica's calls
      int beforeKill = harness.points().size();
      assertThat(beforeKill).isPositive();

      // A collects a minute, then is paused (or partitioned, or SIGKILLed) before exporting it
      a.receiver.pollOnce();
      for (int i = 0; i < 3; i++) { // B takes over within the lease time, from the shared marks
        minute();
        fleetB.cycle();
        b.pollAndExport();
      }
      // A resumes: its lease is gone; what it collected is discarded, not exported
      a.flush();
      a.pollAndExport();
      fleetA.cycle();
      minute();
      fleetB.cycle();
      b.pollAndExport();
      a.pollAndExport();

      List<ReceiverHarness.Point> points = harness.points();
      Set<String> keys = new HashSet<>();
      for (ReceiverHarness.Point p : points) {
        assertThat(keys.add(ExactlyOnceTest.key(p)))
            .as("exported twice: %s", ExactlyOnceTest.key(p))
            .isTrue();
      }
      // no period lost at the takeover: the stage's p99 latency has every minute from first to last
      TreeSet<Long> periods =
          new TreeSet<>(ExactlyOnceTest.periodsOf(points, "aws.apigateway.latency.p99", STAGE));
      assertThat(periods.size()).isGreaterThan(8);
      assertThat(periods.last() - periods.first()).isEqualTo(60L * (periods.size() - 1));
      assertThat(points.size()).isGreaterThan(beforeKill);
    } finally {
      fleetA.close();
      fleetB.close();
    }
  }
}
