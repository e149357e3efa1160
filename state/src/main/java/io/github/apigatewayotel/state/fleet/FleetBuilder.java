package io.github.apigatewayotel.state.fleet;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.function.LongSupplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Builds a {@link Fleet}; shaped like the SDK's builders (setters return the builder). */
public final class FleetBuilder {

  /**
   * The default lease time: takeover within 30 s of a replica's death, 6 renewals a minute per
   * lease.
   */
  public static final Duration DEFAULT_LEASE_TIME = Duration.ofSeconds(30);

  final DynamoDbClient client;
  final String tableName;
  Duration leaseTime = DEFAULT_LEASE_TIME;
  String owner = defaultOwner();
  LongSupplier nanoTime = System::nanoTime;
  boolean closeClient;

  FleetBuilder(DynamoDbClient client, String tableName) {
    this.client = Objects.requireNonNull(client, "client");
    this.tableName = Objects.requireNonNull(tableName, "tableName");
  }

  /**
   * How long a dead replica's leases stay with it (minimum 3 s); renewals run every third of it.
   */
  public FleetBuilder setLeaseTime(Duration leaseTime) {
    if (leaseTime.compareTo(Duration.ofSeconds(3)) < 0) {
      throw new IllegalArgumentException("the lease time must be at least 3 s: " + leaseTime);
    }
    this.leaseTime = leaseTime;
    return this;
  }

  /**
   * This replica's name in the table (default: host, process id and a random suffix, new each
   * start).
   */
  public FleetBuilder setOwner(String owner) {
    this.owner = Objects.requireNonNull(owner, "owner");
    return this;
  }

  /** The fleet closes the client when it closes (when the caller built it for the fleet alone). */
  public FleetBuilder setCloseClient(boolean closeClient) {
    this.closeClient = closeClient;
    return this;
  }

  /**
   * The clock leases are timed by ({@code System::nanoTime}); tests and simulations pass their own.
   */
  public FleetBuilder setNanoTime(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    return this;
  }

  public Fleet build() {
    return new Fleet(this);
  }

  private static String defaultOwner() {
    // "pid@host" on the JVMs this project runs on; a random suffix tells a restarted replica apart
    return ManagementFactory.getRuntimeMXBean().getName()
        + "-"
        + UUID.randomUUID().toString().substring(0, 8);
  }
}
