package io.github.apigatewayotel.logs.internal.cloudwatch;

import io.github.apigatewayotel.state.fleet.Fleet;
import io.github.apigatewayotel.state.fleet.Lease;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A CloudWatch Logs source's log groups in a fleet: each group belongs to one of {@value #SHARDS}
 * lease shards of its account and region ({@code logs|ACCOUNT|REGION|shard-N}), so a thousand
 * groups cost 16 leases' renewals, not a thousand. A group is read only while this replica holds
 * its shard's lease; its checkpoint ({@code logs|ACCOUNT|REGION|GROUP}) is fenced by that lease's
 * token. A group whose shard changed hands since it was last read is read from the shared
 * checkpoint again (the caller forgets its cached one).
 */
public final class FleetGroups {

  /** Lease shards per account and region: spreads the groups over up to 16 replicas. */
  static final int SHARDS = 16;

  /** What {@link #admit} says of a group. */
  public enum Admission {
    /** Another replica reads it now (or none may: the table cannot be used). */
    NOT_HELD,
    /** This replica holds it under a lease it did not read it under yet: reload the checkpoint. */
    NEW_LEASE,
    HELD
  }

  private final Fleet fleet;
  private final String region;
  private final Supplier<String> account;
  private final Supplier<? extends Collection<String>> groups;

  /**
   * The account is still to be found (a supplier is asked): no unit until it is, as its name is in
   * every unit.
   */
  private final boolean accountExpected;

  /** The token each group was last admitted under. */
  private final Map<String, Long> admittedTokens = new ConcurrentHashMap<>();

  private volatile String current;

  /** When each shard's lease was last renewed against the table before a read (System.nanoTime). */
  private final Map<String, Long> confirmedAt = new ConcurrentHashMap<>();

  /** A shard's lease is renewed against the table before a read at most this often. */
  private static final long CONFIRM_NANOS = 1_000_000_000L;

  public FleetGroups(
      Fleet fleet,
      String region,
      Supplier<String> account,
      boolean accountExpected,
      Supplier<? extends Collection<String>> groups) {
    this.fleet = fleet;
    this.accountExpected = accountExpected;
    this.region = region;
    this.account = account;
    this.groups = groups;
    fleet.register(this::units);
  }

  public Fleet fleet() {
    return fleet;
  }

  private String accountOrDash() {
    String id = account.get();
    return id == null || id.isEmpty() ? "-" : id;
  }

  String shardUnit(String group) {
    return "logs|"
        + accountOrDash()
        + "|"
        + region
        + "|shard-"
        + Math.floorMod(group.hashCode(), SHARDS);
  }

  String checkpointUnit(String group) {
    return "logs|" + accountOrDash() + "|" + region + "|" + group;
  }

  /** The lease shards of the groups known now. */
  Set<String> units() {
    Set<String> units = new TreeSet<>();
    if (accountExpected && accountOrDash().equals("-")) {
      return units; // replicas that know the account and replicas that do not would name other
      // units
    }
    for (String group : groups.get()) {
      units.add(shardUnit(group));
    }
    return units;
  }

  /** Whether this replica reads {@code group} now; remembers it as the group being read. */
  public Admission admit(String group) {
    String shard = shardUnit(group);
    Optional<Lease> lease = fleet.lease(shard);
    if (lease.isEmpty() || (accountExpected && accountOrDash().equals("-")) || !confirmed(shard)) {
      current = null;
      admittedTokens.remove(group); // read again from the shared checkpoint when held again
      return Admission.NOT_HELD;
    }
    current = group;
    Long before = admittedTokens.put(group, lease.get().token());
    return before != null && before == lease.get().token() ? Admission.HELD : Admission.NEW_LEASE;
  }

  /**
   * Renews the shard's lease against the table (at most once a second): a replica partitioned from
   * the table since its last heartbeat reads nothing more, instead of handing over pages whose
   * checkpoints it could not write.
   */
  private boolean confirmed(String shard) {
    long now = System.nanoTime();
    Long last = confirmedAt.get(shard);
    if (last != null && now - last < CONFIRM_NANOS) {
      return true;
    }
    if (!fleet.confirm(shard)) {
      confirmedAt.remove(shard);
      return false;
    }
    confirmedAt.put(shard, now);
    return true;
  }

  /**
   * True once the lease of the group being read is no longer valid: checked before each page is
   * handed to the SDK, so a replica that lost its lease (paused, partitioned) hands nothing more.
   */
  public boolean lostCurrent() {
    String group = current;
    if (group == null) {
      return false;
    }
    Optional<Lease> lease = fleet.lease(shardUnit(group));
    Long admitted = admittedTokens.get(group);
    return lease.isEmpty() || admitted == null || lease.get().token() != admitted;
  }

  /**
   * The shared checkpoint could not be read: the group is not read under this lease until it can.
   */
  void loadFailed(String group) {
    admittedTokens.remove(group);
  }

  /** The lease the group's checkpoint is written under: its shard's token, the group's own item. */
  Optional<Lease> checkpointLease(String group) {
    return fleet
        .lease(shardUnit(group))
        .map(lease -> new Lease(checkpointUnit(group), lease.owner(), lease.token()));
  }
}
