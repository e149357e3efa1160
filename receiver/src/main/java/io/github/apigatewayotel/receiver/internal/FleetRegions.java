package io.github.apigatewayotel.receiver.internal;

import io.github.apigatewayotel.state.fleet.Fleet;
import io.github.apigatewayotel.state.fleet.FleetUnavailableException;
import io.github.apigatewayotel.state.fleet.Lease;
import io.github.apigatewayotel.state.fleet.LeaseLostException;
import io.github.apigatewayotel.state.fleet.MarkCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The receiver's regions in a fleet (issue 18): each poller (an account and region, {@code
 * metrics|ACCOUNT|REGION}) is polled only by the replica holding its lease. A poller taken anew
 * starts from the marks in the fleet table (sealed with the lease's token, so the previous holder
 * can no longer advance them); a poller whose lease was lost has its queries {@link
 * PlannedQuery#fenced}, so what it collected and has not handed to the SDK yet is discarded. The
 * marks are written to the table, fenced by the lease, whenever exports advance them.
 */
final class FleetRegions {
  private static final Logger logger = Logger.getLogger(FleetRegions.class.getName());

  /** What {@link #admit} says of a poller. */
  enum Admission {
    NOT_HELD,
    /**
     * Held under a lease not polled under yet: poll a fresh poller from {@link #takenOverMarks}.
     */
    NEW_LEASE,
    HELD
  }

  private final Fleet fleet;
  private final Supplier<List<RegionPoller>> pollers;

  /** The lease token each unit was last admitted under, and the poller admitted. */
  private final Map<String, Long> admittedTokens = new ConcurrentHashMap<>();

  private final Map<String, RegionPoller> admittedPollers = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Long>> takenOver = new ConcurrentHashMap<>();
  private final long periodSeconds;

  FleetRegions(Fleet fleet, Supplier<List<RegionPoller>> pollers, long periodSeconds) {
    this.fleet = fleet;
    this.pollers = pollers;
    this.periodSeconds = periodSeconds;
    fleet.register(this::units);
  }

  static String unit(RegionPoller poller) {
    String account = poller.access().accountId();
    return "metrics|" + (account == null ? "-" : account) + "|" + poller.region();
  }

  /**
   * The units of the pollers whose account is known (an unknown one would be named otherwise
   * later).
   */
  private TreeSet<String> units() {
    TreeSet<String> units = new TreeSet<>();
    for (RegionPoller poller : pollers.get()) {
      if (poller.access().accountId() != null) {
        units.add(unit(poller));
      }
    }
    return units;
  }

  /**
   * Whether this replica polls {@code poller} now. On {@link Admission#NEW_LEASE} the unit's shared
   * marks were read (sealed) and wait in {@link #takenOverMarks} for the fresh poller's discovery;
   * the previous poller's queries are fenced.
   */
  Admission admit(RegionPoller poller, List<String> issues) {
    String unit = unit(poller);
    Optional<Lease> lease = fleet.lease(unit);
    if (lease.isEmpty()) {
      fence(unit);
      return Admission.NOT_HELD;
    }
    Long admitted = admittedTokens.get(unit);
    if (admitted != null && admitted == lease.get().token()) {
      return Admission.HELD;
    }
    fence(unit);
    try {
      Optional<byte[]> stored = fleet.checkpoints().takeOver(lease.get());
      takenOver.put(unit, stored.isEmpty() ? Map.of() : MarkCodec.decode(stored.get()));
      admittedTokens.put(unit, lease.get().token());
      return Admission.NEW_LEASE;
    } catch (LeaseLostException e) {
      return Admission.NOT_HELD;
    } catch (FleetUnavailableException | IOException e) {
      // never poll without the marks: that could repeat periods the last holder exported
      String message =
          "apigateway-otel receiver: cannot read the marks of "
              + unit
              + " in the fleet table "
              + fleet.tableName()
              + " ("
              + e.getMessage()
              + "); not polled until they can be read";
      issues.add(message);
      logger.log(Level.WARNING, message);
      return Admission.NOT_HELD;
    }
  }

  /** Records the poller polled under the unit's current lease (the fresh one after a takeover). */
  void polling(RegionPoller poller) {
    admittedPollers.put(unit(poller), poller);
  }

  /** The marks read at the unit's takeover, once: for the fresh poller's first discovery. */
  Map<String, Long> takenOverMarks(RegionPoller poller) {
    Map<String, Long> marks =
        takenOver.get(unit(poller)); // kept until a discovery made a plan of them
    return marks == null ? Map.of() : marks;
  }

  /**
   * Before each piece is handed over: renews each unit's lease against the table (one conditional
   * write) and fences the queries of every unit this replica no longer holds, or cannot reach the
   * table for (a partition): their points are discarded, not exported.
   */
  void checkLeases() {
    for (Map.Entry<String, Long> entry : new ArrayList<>(admittedTokens.entrySet())) {
      boolean held = fleet.confirm(entry.getKey());
      Optional<Lease> lease = fleet.lease(entry.getKey());
      if (!held || lease.isEmpty() || lease.get().token() != entry.getValue()) {
        fence(entry.getKey());
      }
    }
  }

  private void fence(String unit) {
    admittedTokens.remove(unit);
    RegionPoller previous = admittedPollers.remove(unit);
    if (previous != null) {
      for (PlannedQuery query : previous.plan().queries()) {
        query.fenced = true;
      }
      logger.info(
          "apigateway-otel receiver: "
              + unit
              + " is polled by another replica now;"
              + " points collected here and not exported yet are discarded");
    }
  }

  /** Writes each held unit's marks (what the host exported), fenced by its lease. */
  void saveMarks() {
    for (Map.Entry<String, RegionPoller> entry : new ArrayList<>(admittedPollers.entrySet())) {
      Long token = admittedTokens.get(entry.getKey());
      Optional<Lease> lease = fleet.lease(entry.getKey());
      if (token == null || lease.isEmpty() || lease.get().token() != token) {
        continue;
      }
      if (takenOver.containsKey(entry.getKey())) {
        if (entry.getValue().plan().queries().isEmpty()) {
          continue; // the fresh poller did not discover from the taken-over marks yet
        }
        takenOver.remove(entry.getKey());
      }
      Map<String, Long> marks = new HashMap<>();
      for (PlannedQuery query : entry.getValue().plan().queries()) {
        if (query.exportedMark != PlannedQuery.NONE) {
          marks.put(query.key(), query.exportedMark);
        }
      }
      try {
        if (!fleet.checkpoints().write(lease.get(), MarkCodec.encode(marks, periodSeconds))) {
          fence(entry.getKey());
        }
      } catch (FleetUnavailableException e) {
        // what is exported from now on could not be checkpointed: stop exporting the unit (it is
        // polled again from the shared marks once the table answers and the lease is still ours)
        fence(entry.getKey());
        logger.log(
            Level.WARNING,
            "apigateway-otel receiver: cannot write the marks of "
                + entry.getKey()
                + " ("
                + e.getMessage()
                + "); its points are not exported until the fleet"
                + " table answers (a takeover repeats at most the piece exported last)");
      }
    }
  }
}
