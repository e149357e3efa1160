package io.github.apigatewayotel.state.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.testing.dynamodb.DynaliteExtension;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The figures of docs/fleet.md and RELIABILITY.md, on real time against dynalite: takeover time
 * after a replica stops dead (no release), DynamoDB requests per minute, CPU of the lease thread. A
 * measurement, not a unit test: {@code ./mvnw -B -ntp -q -pl state -am test -Dtest=FleetMeasurement
 * -Dsurefire.failIfNoSpecifiedTests=false -Dapigateway.otel.measure=true}.
 */
@EnabledIfSystemProperty(named = "apigateway.otel.measure", matches = "true")
class FleetMeasurement {

  @RegisterExtension static final DynaliteExtension DYNAMODB = new DynaliteExtension();

  private static final Duration LEASE = Duration.ofSeconds(3);

  @Test
  void takeoverTimeRequestsAndCpu() throws Exception {
    List<String> units = new ArrayList<>();
    units.add("metrics|111111111111|us-east-1");
    for (int shard = 0; shard < 16; shard++) {
      units.add("logs|111111111111|us-east-1|shard-" + shard);
    }
    List<Double> takeovers = new ArrayList<>();
    try (DynamoDbClient client = Fleets.client(DYNAMODB.endpoint())) {
      String table = Fleets.freshTableName();
      for (int trial = 0; trial < 5; trial++) {
        Fleet dead =
            Fleet.builder(client, table).setOwner("dead-" + trial).setLeaseTime(LEASE).build();
        dead.register(() -> units);
        dead.cycle();
        Fleet survivor =
            Fleet.builder(client, table).setOwner("survivor-" + trial).setLeaseTime(LEASE).build();
        survivor.register(() -> units);
        dead.start();
        survivor.start();
        Thread.sleep(LEASE.toMillis() * 2 + trial * 300L); // both heartbeat; kill at varied phases
        dead.halt(); // SIGKILL: no release
        long killed = System.nanoTime();
        while (units.stream().anyMatch(unit -> survivor.lease(unit).isEmpty())) {
          Thread.sleep(20);
          assertThat(System.nanoTime() - killed).isLessThan(LEASE.toNanos() * 4);
        }
        takeovers.add((System.nanoTime() - killed) / (double) LEASE.toNanos());
        survivor.close(); // hands over at once for the next trial's "dead" replica
      }
      System.out.printf(
          "takeover after a SIGKILL, in lease times: %s (max %.2f)%n",
          takeovers, takeovers.stream().mapToDouble(Double::doubleValue).max().orElseThrow());

      // requests and CPU of a replica holding every unit alone, over 20 lease times
      Fleet alone = Fleet.builder(client, table).setOwner("alone").setLeaseTime(LEASE).build();
      alone.register(() -> units);
      alone.start();
      Thread.sleep(LEASE.toMillis());
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long cpuBefore = leaseThreadCpu(threads);
      long requestsBefore = alone.requests();
      long start = System.nanoTime();
      Thread.sleep(LEASE.toMillis() * 20);
      double minutes = (System.nanoTime() - start) / 60e9;
      long requests = alone.requests() - requestsBefore;
      long cpu = leaseThreadCpu(threads) - cpuBefore;
      alone.close();
      double perMinuteAt30s = requests / minutes * LEASE.toSeconds() / 30.0;
      System.out.printf(
          "one replica, %d units, lease %s: %d requests in %.2f min = %.1f/min"
              + " (at the 30 s default: %.1f/min); lease thread CPU %.1f ms/min (%.1f ms/min at 30 s)%n",
          units.size(),
          LEASE,
          requests,
          minutes,
          requests / minutes,
          perMinuteAt30s,
          cpu / 1e6 / minutes,
          cpu / 1e6 / minutes * LEASE.toSeconds() / 30.0);
    }
  }

  private static long leaseThreadCpu(ThreadMXBean threads) {
    long total = 0;
    for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().equals("apigateway-otel-fleet-leases")) {
        total += threads.getThreadCpuTime(info.getThreadId());
      }
    }
    return total;
  }
}
