package io.github.apigatewayotel.state.fleet;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One replica's membership in a fleet: the sources register the units of work they would work alone
 * (a region's metrics, a log group's shard), a background thread renews and takes leases on them
 * every third of the lease time, and each source works a unit only while {@link #lease} says this
 * replica holds it, writing its checkpoint through {@link #checkpoints()}, fenced by the lease's
 * token. When the table cannot be used the replica works no unit, and says so once.
 */
public final class Fleet implements AutoCloseable {

  private static final Logger logger = Logger.getLogger(Fleet.class.getName());

  private final FleetTable table;
  private final LeaseCoordinator leases;
  private final FencedCheckpoints checkpoints;
  private final Duration leaseTime;
  private final boolean closeClient;
  private final List<Supplier<? extends Collection<String>>> units = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService heartbeat;
  private volatile boolean tableReady;
  private volatile String problem;

  Fleet(FleetBuilder builder) {
    this.table = new FleetTable(builder.client, builder.tableName);
    this.leaseTime = builder.leaseTime;
    this.leases = new LeaseCoordinator(table, builder.owner, builder.leaseTime, builder.nanoTime);
    this.checkpoints = new FencedCheckpoints(table);
    this.closeClient = builder.closeClient;
    this.heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "apigateway-otel-fleet-leases");
              thread.setDaemon(true);
              return thread;
            });
  }

  public static FleetBuilder builder(DynamoDbClient client, String tableName) {
    return new FleetBuilder(client, tableName);
  }

  /**
   * Starts renewing and taking leases in the background, at once and then every third of the lease
   * time.
   */
  public Fleet start() {
    long every = Math.max(1, leaseTime.toMillis() / 3);
    heartbeat.scheduleWithFixedDelay(this::cycle, 0, every, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Adds units this replica would work alone; read at every cycle (it may change). */
  public void register(Supplier<? extends Collection<String>> source) {
    units.add(Objects.requireNonNull(source, "source"));
  }

  /** The lease on {@code unit} while this replica holds it and may work the unit. */
  public Optional<Lease> lease(String unit) {
    return leases.lease(unit);
  }

  /**
   * Renews the lease on {@code unit} against the table now; true when this replica still holds it.
   * One conditional write: call it before handing a piece of the unit's work over.
   */
  public boolean confirm(String unit) {
    return leases.renew(unit);
  }

  public FencedCheckpoints checkpoints() {
    return checkpoints;
  }

  public String owner() {
    return leases.owner();
  }

  public String tableName() {
    return table.name();
  }

  /** The problem that keeps this replica from working any unit now, or null. */
  public String problem() {
    return problem;
  }

  /** DynamoDB requests this replica made so far (leases and checkpoints). */
  public long requests() {
    return leases.requests() + checkpoints.requests();
  }

  /**
   * One round of lease work now ({@link #start} runs one every third of the lease time); never
   * throws (a scheduled task that throws stops repeating).
   */
  public void cycle() {
    try {
      if (!tableReady) {
        table.ensure();
        tableReady = true;
      }
      Set<String> all = new LinkedHashSet<>();
      for (Supplier<? extends Collection<String>> source : units) {
        all.addAll(source.get());
      }
      leases.cycle(all);
      if (problem != null) {
        logger.info("apigateway-otel fleet: the DynamoDB table " + table.name() + " works again");
      }
      problem = null;
    } catch (FleetUnavailableException e) {
      if (heartbeat.isShutdown()) {
        return; // interrupted by close() or halt(): not a problem of the table
      }
      if (!e.getMessage().equals(problem)) {
        logger.log(Level.WARNING, e.getMessage(), e.getCause());
      }
      problem = e.getMessage();
    } catch (RuntimeException e) {
      logger.log(
          Level.WARNING, "apigateway-otel fleet: a lease cycle failed unexpectedly; retrying", e);
    }
  }

  /**
   * Stops the heartbeat without handing anything over, as a SIGKILL would (measurements, tests).
   */
  void halt() {
    heartbeat.shutdownNow();
  }

  /** Stops the heartbeat and hands every lease held over at once (no waiting for it to expire). */
  @Override
  public void close() {
    heartbeat.shutdown(); // a cycle in flight finishes: an interrupted one would only log noise
    try {
      if (!heartbeat.awaitTermination(10, TimeUnit.SECONDS)) {
        heartbeat.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    leases.releaseAll();
    if (closeClient) {
      table.client().close();
    }
  }
}
