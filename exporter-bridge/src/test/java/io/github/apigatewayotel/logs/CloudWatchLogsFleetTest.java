package io.github.apigatewayotel.logs;

import static io.github.apigatewayotel.logs.CloudWatchLogsTestFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.state.fleet.Fleet;
import io.github.apigatewayotel.testing.dynamodb.DynaliteExtension;
import io.github.apigatewayotel.testing.net.CuttableProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
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
 * Two replicas of a CloudWatch Logs source in fleet mode (issue 18), one simulated account and a
 * real DynamoDB implementation (dynalite): every line is exported exactly once while the groups
 * spread over both, after one is killed (its groups taken over from the shared checkpoints), and
 * when the killed one resumes like a paused JVM.
 */
class CloudWatchLogsFleetTest {

  @RegisterExtension static final DynaliteExtension DYNAMODB = new DynaliteExtension();

  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final int GROUPS = 20;

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private CloudWatchLogsTestFixture fixture;
  private DynamoDbClient dynamo;
  private final List<String> expected = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    fixture = new CloudWatchLogsTestFixture();
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
  void tearDown() {
    dynamo.close();
    fixture.close();
  }

  private Fleet fleet(String owner, String table) {
    return fleet(owner, dynamo, table);
  }

  private Fleet fleet(String owner, DynamoDbClient client, String table) {
    return Fleet.builder(client, table)
        .setOwner(owner)
        .setLeaseTime(LEASE)
        .setNanoTime(nanos::get)
        .build();
  }

  /**
   * A partition: the replica holding every group reaches CloudWatch Logs and the backend but not
   * DynamoDB (a proxy the test cuts): it reads nothing more, the other takes the groups over, and
   * every line still arrives exactly once.
   */
  @Test
  void aPartitionedReplicaReadsNothingMoreAndEveryLineArrivesOnce() throws Exception {
    String table = "fleet-logs-partition-" + ProcessHandle.current().pid();
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
      Fleet fleetB = fleet("b", table);
      try (CloudWatchLogsSource a = fixture.source().setFleet(fleetA).build();
          CloudWatchLogsSource b = fixture.source().setFleet(fleetB).build()) {
        putRound(0);
        a.pollOnce();
        fleetA.cycle(); // A holds every shard
        a.pollOnce();
        assertThat(exportedCounts()).hasSize(GROUPS);
        proxy.cut();
        for (int round = 1; round <= 8; round++) {
          putRound(round);
          advance(LEASE.dividedBy(3));
          fleetA.cycle();
          fleetB.cycle();
          a.pollOnce();
          b.pollOnce();
        }
        assertThat(fleetA.problem()).contains(table);
        assertThat(exportedCounts())
            .containsOnlyKeys(expected)
            .allSatisfy((line, n) -> assertThat(n).isEqualTo(1));
      } finally {
        fleetA.close();
        fleetB.close();
      }
    }
  }

  private void advance(Duration duration) {
    nanos.addAndGet(duration.toNanos());
    fixture.clock.advanceMillis(duration.toMillis());
  }

  private void putRound(int round) {
    for (int g = 0; g < GROUPS; g++) {
      String group = String.format("api-gateway-g%02d", g);
      expected.add(fixture.put(group, "s", T0 + round * 10_000L, group + "-round-" + round));
    }
  }

  private Map<String, Long> exportedCounts() {
    return fixture.bodies().stream()
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }

  @Test
  void everyLineOnceWhileSpreadAfterAKillAndWhenThePausedReplicaResumes() {
    String table = "fleet-logs-" + ProcessHandle.current().pid();
    Fleet fleetA = fleet("a", table);
    Fleet fleetB = fleet("b", table);
    try (CloudWatchLogsSource a = fixture.source().setFleet(fleetA).build();
        CloudWatchLogsSource b = fixture.source().setFleet(fleetB).build()) {
      putRound(0);
      a.pollOnce(); // discovers the groups; holds no lease yet: reads nothing
      assertThat(fixture.bodies()).isEmpty();
      fleetA.cycle();
      a.pollOnce();
      b.pollOnce();
      fleetB.cycle(); // A holds every shard: B steals one, worked a lease time later
      assertThat(exportedCounts())
          .hasSize(GROUPS)
          .allSatisfy((line, n) -> assertThat(n).isEqualTo(1));

      // both work, heartbeats every third of the lease time: the shards spread, no line twice
      for (int round = 1; round <= 12; round++) {
        putRound(round);
        advance(LEASE.dividedBy(3));
        fleetA.cycle();
        fleetB.cycle();
        a.pollOnce();
        b.pollOnce();
      }
      long heldByB =
          java.util.stream.IntStream.range(0, 16)
              .filter(
                  shard ->
                      fleetB
                          .lease(
                              "logs|"
                                  + CloudWatchLogsTestFixture.ACCOUNT
                                  + "|"
                                  + CloudWatchLogsTestFixture.REGION
                                  + "|shard-"
                                  + shard)
                          .isPresent())
              .count();
      assertThat(heldByB).isGreaterThanOrEqualTo(4);
      assertThat(exportedCounts())
          .containsOnlyKeys(expected)
          .allSatisfy((line, n) -> assertThat(n).isEqualTo(1));

      // A is killed (no more cycles or polls); B takes its groups over within the lease time
      putRound(13);
      for (int heartbeat = 0;
          heartbeat < 5;
          heartbeat++) { // 5/3 of a lease time bounds the takeover
        advance(LEASE.dividedBy(3));
        fleetB.cycle();
      }
      b.pollOnce();
      assertThat(exportedCounts())
          .containsOnlyKeys(expected)
          .allSatisfy((line, n) -> assertThat(n).isEqualTo(1));

      // A resumes like a paused JVM: its leases are gone, it exports nothing, writes no checkpoint;
      // then it rejoins (a shard it steals is read by nobody for a lease time, then by it)
      putRound(14);
      int before = fixture.bodies().size();
      a.pollOnce();
      assertThat(fixture.bodies()).hasSize(before);
      for (int heartbeat = 0; heartbeat < 6; heartbeat++) {
        advance(LEASE.dividedBy(3));
        fleetA.cycle();
        fleetB.cycle();
        a.pollOnce();
        b.pollOnce();
      }
      assertThat(exportedCounts())
          .containsOnlyKeys(expected)
          .allSatisfy((line, n) -> assertThat(n).isEqualTo(1));
    } finally {
      fleetA.close();
      fleetB.close();
    }
  }
}
