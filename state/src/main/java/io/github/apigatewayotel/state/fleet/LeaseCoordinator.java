package io.github.apigatewayotel.state.fleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Leases on units of work, held in the fleet table by conditional writes, on the Kinesis Client
 * Library's model: a lease item has an owner, a {@code counter} the owner increments at each
 * heartbeat, and a {@code token} incremented each time the lease changes hands. A replica deems a
 * lease expired when its counter has not moved for the lease time <em>as measured by its own
 * clock</em> since it first saw that counter: no clocks are compared across replicas.
 *
 * <p>Each {@link #cycle} renews the leases held, lists every lease (one Query of small items),
 * creates the missing ones, then takes free and expired leases up to this replica's fair share
 * ({@code ceil(units / live owners)}), and when none is free steals at most one lease per cycle
 * from the most loaded owner holding more than that share. Every take is conditional on the counter
 * and token observed, so two replicas never both take one lease.
 *
 * <p>A held lease is {@linkplain #lease valid} for {@code validity} (less than the lease time)
 * after the start of its last successful renewal: a replica that cannot renew (partitioned, paused)
 * stops working the unit before any other replica may take it over; one whose renewal fails for
 * want of DynamoDB (a partition) stops at once. Not thread-safe beyond its synchronized methods;
 * one instance per replica and table.
 */
public final class LeaseCoordinator {

  private static final String OWNER = "owner";
  private static final String COUNTER = "counter";
  private static final String TOKEN = "token";

  private final FleetTable table;
  private final String owner;
  private final long leaseNanos;
  private final long validityNanos;
  private final LongSupplier nanoTime;

  /** Lease items as last seen, with the local time their counter was first seen. */
  private final Map<String, Observed> observed = new HashMap<>();

  private final Map<String, Held> held = new HashMap<>();
  private long requests;

  private record Observed(String owner, long counter, long token, long sinceNanos) {}

  /**
   * {@code workableFromNanos}: a stolen lease is worked only once its previous holder's validity
   * surely ended.
   */
  private record Held(long token, long counter, long renewedAtNanos, long workableFromNanos) {}

  /**
   * @param leaseTime how long a lease stays with a replica that stopped renewing it
   * @param nanoTime the clock ({@code System::nanoTime}; tests pass one they control)
   */
  public LeaseCoordinator(
      FleetTable table, String owner, Duration leaseTime, LongSupplier nanoTime) {
    this.table = Objects.requireNonNull(table, "table");
    this.owner = Objects.requireNonNull(owner, "owner");
    this.leaseNanos = leaseTime.toNanos();
    // renewals run every third of the lease time; a holder that missed two deems its lease gone,
    // a fifth of the lease time before any other replica may take it (clock rates, in-flight calls)
    this.validityNanos = leaseNanos * 4 / 5;
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
  }

  public String owner() {
    return owner;
  }

  /** DynamoDB requests made so far (each a read or write billed on demand). */
  public synchronized long requests() {
    return requests;
  }

  /** The lease on {@code unit} while this replica holds it and it is still valid. */
  public synchronized Optional<Lease> lease(String unit) {
    Held lease = held.get(unit);
    long now = nanoTime.getAsLong();
    if (lease == null
        || now - lease.renewedAtNanos() >= validityNanos
        || now - lease.workableFromNanos() < 0) {
      return Optional.empty();
    }
    return Optional.of(new Lease(unit, owner, lease.token()));
  }

  /**
   * One round: renews, lists, takes (see the class comment). Returns the units whose leases this
   * replica holds and may work now.
   *
   * @throws FleetUnavailableException when the table cannot be listed; leases renewed before stay
   *     valid for their validity, none is taken
   */
  public synchronized Set<String> cycle(Collection<String> units) throws FleetUnavailableException {
    Set<String> wanted = new LinkedHashSet<>(units);
    renewHeld();
    releaseUnwanted(wanted);
    Map<String, Map<String, AttributeValue>> items = listLeases();
    long now = nanoTime.getAsLong();
    for (String unit : wanted) {
      Map<String, AttributeValue> item = items.get(unit);
      if (item == null) {
        create(unit);
        observed.put(unit, new Observed(null, 0, 0, now));
      } else {
        observe(unit, item, now);
      }
    }
    takeFairShare(wanted, now);
    return validUnits();
  }

  /** Gives up every lease held (on a clean shutdown), so others take them without waiting. */
  public synchronized void releaseAll() {
    for (String unit : List.copyOf(held.keySet())) {
      release(unit);
    }
  }

  /**
   * Renews the lease on {@code unit} now, against the table: true when this replica still holds it
   * and may work it. Called before a piece of work is handed over, so a replica partitioned from
   * the table since its last heartbeat finds out before it exports, not after.
   */
  public synchronized boolean renew(String unit) {
    Held lease = held.get(unit);
    if (lease == null) {
      return false;
    }
    renew(Map.entry(unit, lease));
    return lease(unit).isPresent();
  }

  private void renewHeld() {
    for (Map.Entry<String, Held> entry : List.copyOf(held.entrySet())) {
      renew(entry);
    }
  }

  private void renew(Map.Entry<String, Held> entry) {
    long start = nanoTime.getAsLong();
    Held lease = entry.getValue();
    try {
      requests++;
      table
          .client()
          .updateItem(
              r ->
                  r.tableName(table.name())
                      .key(FleetTable.key(FleetTable.LEASES, entry.getKey()))
                      .updateExpression("SET #c = #c + :one")
                      .conditionExpression("#o = :me AND #t = :t")
                      .expressionAttributeNames(Map.of("#c", COUNTER, "#o", OWNER, "#t", TOKEN))
                      .expressionAttributeValues(
                          Map.of(
                              ":one",
                              n(1),
                              ":me",
                              AttributeValue.fromS(owner),
                              ":t",
                              n(lease.token()))));
      held.put(
          entry.getKey(),
          new Held(lease.token(), lease.counter() + 1, start, lease.workableFromNanos()));
    } catch (ConditionalCheckFailedException e) {
      held.remove(entry.getKey()); // taken over: its checkpoint writes are fenced off already
    } catch (SdkException e) {
      // unreachable (a partition): stop working the unit now rather than at the end of its
      // validity, since nothing it exports could be checkpointed; kept, so a renewal that
      // works again (the lease still ours) resumes it
      held.put(
          entry.getKey(),
          new Held(
              lease.token(), lease.counter(), start - validityNanos, lease.workableFromNanos()));
    }
  }

  private void releaseUnwanted(Set<String> wanted) {
    for (String unit : List.copyOf(held.keySet())) {
      if (!wanted.contains(unit)) {
        release(unit);
      }
    }
  }

  private void release(String unit) {
    Held lease = held.remove(unit);
    try {
      requests++;
      table
          .client()
          .updateItem(
              r ->
                  r.tableName(table.name())
                      .key(FleetTable.key(FleetTable.LEASES, unit))
                      .updateExpression("REMOVE #o")
                      .conditionExpression("#o = :me AND #t = :t")
                      .expressionAttributeNames(Map.of("#o", OWNER, "#t", TOKEN))
                      .expressionAttributeValues(
                          Map.of(":me", AttributeValue.fromS(owner), ":t", n(lease.token()))));
    } catch (SdkException e) {
      // taken over already, or unreachable: it expires
    }
  }

  private Map<String, Map<String, AttributeValue>> listLeases() throws FleetUnavailableException {
    Map<String, Map<String, AttributeValue>> items = new HashMap<>();
    try {
      QueryRequest query =
          QueryRequest.builder()
              .tableName(table.name())
              .keyConditionExpression("#pk = :leases")
              .expressionAttributeNames(Map.of("#pk", FleetTable.PARTITION_KEY))
              .expressionAttributeValues(Map.of(":leases", AttributeValue.fromS(FleetTable.LEASES)))
              .consistentRead(true)
              .build();
      for (var page : table.client().queryPaginator(query)) {
        requests++;
        for (Map<String, AttributeValue> item : page.items()) {
          items.put(item.get(FleetTable.SORT_KEY).s(), item);
        }
      }
    } catch (SdkException e) {
      throw table.unavailable(e);
    }
    return items;
  }

  private void create(String unit) {
    try {
      requests++;
      Map<String, AttributeValue> item = new HashMap<>(FleetTable.key(FleetTable.LEASES, unit));
      item.put(COUNTER, n(0));
      item.put(TOKEN, n(0));
      table
          .client()
          .putItem(
              r ->
                  r.tableName(table.name())
                      .item(item)
                      .conditionExpression("attribute_not_exists(#pk)")
                      .expressionAttributeNames(Map.of("#pk", FleetTable.PARTITION_KEY)));
    } catch (SdkException e) {
      // another replica created it first, or unreachable: the next cycle sees it
    }
  }

  private void observe(String unit, Map<String, AttributeValue> item, long now) {
    String itemOwner = item.containsKey(OWNER) ? item.get(OWNER).s() : null;
    long counter = Long.parseLong(item.get(COUNTER).n());
    long token = Long.parseLong(item.get(TOKEN).n());
    Observed before = observed.get(unit);
    if (before == null
        || before.counter() != counter
        || before.token() != token
        || !Objects.equals(before.owner(), itemOwner)) {
      observed.put(unit, new Observed(itemOwner, counter, token, now));
    }
    if (held.containsKey(unit) && !owner.equals(itemOwner)) {
      held.remove(unit); // another replica holds it now
    }
  }

  private boolean takeable(Observed lease, long now) {
    return lease.owner() == null || now - lease.sinceNanos() >= leaseNanos;
  }

  private void takeFairShare(Set<String> wanted, long now) {
    Map<String, Integer> liveOwners = new HashMap<>();
    List<String> free = new ArrayList<>();
    List<String> expired = new ArrayList<>();
    for (String unit : wanted) {
      Observed lease = observed.get(unit);
      if (held.containsKey(unit)) {
        continue;
      }
      if (lease.owner() == null) {
        free.add(unit);
      } else if (takeable(lease, now)) {
        expired.add(unit);
      } else {
        liveOwners.merge(lease.owner(), 1, Integer::sum);
      }
    }
    liveOwners.remove(owner);
    int share =
        (wanted.size() + liveOwners.size()) / (liveOwners.size() + 1); // ceil(units / owners)
    List<String> candidates =
        new ArrayList<>(expired); // expired first: their units are not worked now
    candidates.addAll(free);
    for (String unit : candidates) {
      if (held.size() >= share) {
        return;
      }
      take(unit, now);
    }
    if (held.size() < share) {
      stealOne(wanted, liveOwners, share, now);
    }
  }

  /** Steals one lease from the most loaded owner above the fair share (never more per cycle). */
  private void stealOne(Set<String> wanted, Map<String, Integer> liveOwners, int share, long now) {
    Optional<Map.Entry<String, Integer>> richest =
        liveOwners.entrySet().stream()
            .max(
                Map.Entry.<String, Integer>comparingByValue()
                    .thenComparing(Map.Entry.comparingByKey()));
    if (richest.isEmpty() || richest.get().getValue() <= share) {
      return;
    }
    wanted.stream()
        .filter(unit -> richest.get().getKey().equals(observed.get(unit).owner()))
        .max(Comparator.naturalOrder())
        .ifPresent(unit -> take(unit, now));
  }

  /**
   * Takes one lease, conditional on the counter and token observed. A lease that had an owner
   * (stolen, or expired) is worked only a lease time after this replica first saw its counter: the
   * take succeeding proves that counter was the holder's last renewal, begun before it was seen, so
   * the holder's validity (shorter than a lease time) ended by then.
   */
  private void take(String unit, long now) {
    Observed lease = observed.get(unit);
    long start = nanoTime.getAsLong();
    try {
      requests++;
      table
          .client()
          .updateItem(
              r ->
                  r.tableName(table.name())
                      .key(FleetTable.key(FleetTable.LEASES, unit))
                      .updateExpression("SET #o = :me, #c = :next, #t = :nextToken")
                      .conditionExpression("#c = :c AND #t = :t")
                      .expressionAttributeNames(Map.of("#o", OWNER, "#c", COUNTER, "#t", TOKEN))
                      .expressionAttributeValues(
                          Map.of(
                              ":me",
                              AttributeValue.fromS(owner),
                              ":c",
                              n(lease.counter()),
                              ":t",
                              n(lease.token()),
                              ":next",
                              n(lease.counter() + 1),
                              ":nextToken",
                              n(lease.token() + 1))));
      held.put(
          unit,
          new Held(
              lease.token() + 1,
              lease.counter() + 1,
              start,
              lease.owner() == null ? start : lease.sinceNanos() + leaseNanos));
      observed.put(unit, new Observed(owner, lease.counter() + 1, lease.token() + 1, now));
    } catch (SdkException e) {
      // another replica renewed or took it first, or unreachable: the next cycle looks again
    }
  }

  private Set<String> validUnits() {
    Set<String> valid = new LinkedHashSet<>();
    for (String unit : held.keySet()) {
      if (lease(unit).isPresent()) {
        valid.add(unit);
      }
    }
    return valid;
  }

  private static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }
}
