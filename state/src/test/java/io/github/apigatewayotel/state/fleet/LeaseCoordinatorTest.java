package io.github.apigatewayotel.state.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.apigatewayotel.testing.dynamodb.DynaliteExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The lease logic against a real DynamoDB implementation (dynalite), with a clock the test moves.
 */
class LeaseCoordinatorTest {

  @RegisterExtension static final DynaliteExtension DYNAMODB = new DynaliteExtension();

  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final Duration HEARTBEAT = LEASE.dividedBy(3);
  private static final List<String> UNITS =
      List.of(
          "metrics|111111111111|us-east-1",
          "metrics|111111111111|eu-west-1",
          "logs|111111111111|us-east-1|API-Gateway-Access-Logs_a/prod",
          "logs|111111111111|us-east-1|API-Gateway-Access-Logs_b/prod");

  private final Fleets.ManualClock clock = new Fleets.ManualClock();
  private DynamoDbClient client;
  private FleetTable table;

  @BeforeEach
  void table() throws FleetUnavailableException {
    client = Fleets.client(DYNAMODB.endpoint());
    table = new FleetTable(client, Fleets.freshTableName());
    table.ensure();
  }

  @AfterEach
  void close() {
    client.close();
  }

  private LeaseCoordinator replica(String name) {
    return new LeaseCoordinator(table, name, LEASE, clock::nanoTime);
  }

  @Test
  void theTableIsCreatedOnFirstUseWithTheFleetsSchemaAndFoundAfter()
      throws FleetUnavailableException {
    var description = client.describeTable(r -> r.tableName(table.name())).table();
    assertThat(description.keySchema())
        .extracting(k -> k.attributeName())
        .containsExactly("pk", "sk");
    table.ensure(); // found, not created again
  }

  @Test
  void aLoneReplicaWorksEveryUnit() throws FleetUnavailableException {
    LeaseCoordinator alone = replica("a");
    assertThat(alone.cycle(UNITS)).containsExactlyInAnyOrderElementsOf(UNITS);
    for (String unit : UNITS) {
      assertThat(alone.lease(unit)).get().extracting(Lease::token).isEqualTo(1L);
    }
  }

  @Test
  void twoReplicasSpreadTheUnitsAndNeverWorkOneTogether() throws FleetUnavailableException {
    LeaseCoordinator a = replica("a");
    LeaseCoordinator b = replica("b");
    a.cycle(UNITS);
    for (int round = 0; round < 12; round++) { // heartbeats every third of the lease time
      b.cycle(UNITS);
      a.cycle(UNITS);
      assertExclusive(List.of(a, b));
      clock.advance(HEARTBEAT);
    }
    Set<String> workedByA = a.cycle(UNITS);
    Set<String> workedByB = b.cycle(UNITS);
    assertThat(workedByA).hasSize(2);
    assertThat(workedByB).hasSize(2);
    assertThat(union(workedByA, workedByB)).containsExactlyInAnyOrderElementsOf(UNITS);
  }

  @Test
  void aDeadReplicasLeasesAreTakenOverWithinTheLeaseTimeAndItStopsFirst()
      throws FleetUnavailableException {
    LeaseCoordinator dead = replica("dead");
    LeaseCoordinator survivor = replica("survivor");
    dead.cycle(UNITS);
    survivor.cycle(
        UNITS); // sees the dead one's counters (and may steal one, worked only a lease time later)
    // the dead replica stops renewing (SIGKILL, partition, paused JVM): no more cycles
    clock.advance(LEASE.multipliedBy(4).dividedBy(5));
    assertThat(UNITS)
        .allSatisfy(unit -> assertThat(dead.lease(unit)).isEmpty()); // it stopped first
    assertThat(survivor.cycle(UNITS)).isEmpty(); // not yet expired for the survivor
    clock.advance(LEASE.dividedBy(5));
    assertThat(survivor.cycle(UNITS)).containsExactlyInAnyOrderElementsOf(UNITS);
    assertThat(survivor.lease(UNITS.get(0))).get().extracting(Lease::token).isEqualTo(2L);
    // the paused one resumes: its renewals fail, it works nothing
    assertThat(dead.cycle(UNITS)).isEmpty();
  }

  @Test
  void aCleanShutdownHandsTheLeasesOverAtOnce() throws FleetUnavailableException {
    LeaseCoordinator leaving = replica("leaving");
    LeaseCoordinator staying = replica("staying");
    leaving.cycle(UNITS);
    leaving.releaseAll();
    assertThat(staying.cycle(UNITS)).containsExactlyInAnyOrderElementsOf(UNITS);
  }

  @Test
  void aStolenLeaseIsWorkedOnlyAfterItsHolderStopped() throws FleetUnavailableException {
    LeaseCoordinator rich = replica("rich");
    LeaseCoordinator thief = replica("thief");
    rich.cycle(UNITS);
    assertThat(thief.cycle(UNITS)).isEmpty(); // stole one, not workable yet
    String stolen =
        UNITS.stream().filter(u -> rich.lease(u).isPresent()).count() == UNITS.size()
            ? UNITS.stream().max(String::compareTo).orElseThrow()
            : null;
    assertThat(stolen).isNotNull(); // the rich one still works it until its renewal fails
    clock.advance(HEARTBEAT);
    rich.cycle(UNITS); // its renewal of the stolen lease fails: it stops
    assertThat(rich.lease(stolen)).isEmpty();
    assertThat(thief.lease(stolen)).isEmpty();
    clock.advance(LEASE);
    thief.cycle(UNITS);
    assertThat(thief.lease(stolen)).isPresent();
  }

  /** Three replicas, random pauses and clean restarts: never two valid leases on one unit. */
  @Test
  void contentionNeverLetsTwoReplicasWorkOneUnit() throws FleetUnavailableException {
    Random random = new Random(18);
    List<LeaseCoordinator> replicas =
        new ArrayList<>(List.of(replica("a"), replica("b"), replica("c")));
    Set<String> everWorked = new HashSet<>();
    for (int step = 0; step < 150; step++) {
      int who = random.nextInt(replicas.size());
      int action = random.nextInt(10);
      if (action < 7) {
        everWorked.addAll(replicas.get(who).cycle(UNITS));
      } else if (action == 7) {
        replicas.get(who).releaseAll();
        replicas.set(who, replica("restarted-" + step));
      }
      // else: the replica is paused this step
      clock.advance(Duration.ofSeconds(random.nextInt(8)));
      assertExclusive(replicas);
    }
    assertThat(everWorked).containsExactlyInAnyOrderElementsOf(UNITS);
  }

  @Test
  void anUnreachableTableIsOneClearErrorAndNoUnit() {
    DynamoDbClient nowhere = Fleets.client(java.net.URI.create("http://127.0.0.1:9"));
    FleetTable missing = new FleetTable(nowhere, "fleet-unreachable");
    assertThatThrownBy(missing::ensure)
        .isInstanceOf(FleetUnavailableException.class)
        .hasMessageContaining("fleet-unreachable")
        .hasMessageContaining("no unit is worked");
    LeaseCoordinator replica = new LeaseCoordinator(missing, "a", LEASE, clock::nanoTime);
    assertThatThrownBy(() -> replica.cycle(UNITS)).isInstanceOf(FleetUnavailableException.class);
    assertThat(UNITS).allSatisfy(unit -> assertThat(replica.lease(unit)).isEmpty());
    nowhere.close();
  }

  private static void assertExclusive(List<LeaseCoordinator> replicas) {
    for (String unit : UNITS) {
      List<String> holders = new ArrayList<>();
      for (LeaseCoordinator replica : replicas) {
        replica.lease(unit).ifPresent(lease -> holders.add(lease.owner()));
      }
      assertThat(holders).as("valid leases on %s", unit).hasSizeLessThanOrEqualTo(1);
    }
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    assertThat(all).hasSize(a.size() + b.size());
    return all;
  }
}
