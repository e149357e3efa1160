package io.github.apigatewayotel.testing.aws;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each API of a {@link SimulatedAccount} serves traffic, and so publishes CloudWatch
 * datapoints: always, except during its idle spells and after its deletion. API Gateway publishes
 * nothing for a minute without requests, so an idle API's series hold no datapoint then, and
 * ListMetrics with {@code RecentlyActive=PT3H} leaves out a series with no datapoint in the past
 * three hours.
 */
final class ApiActivity {

  /** The only value ListMetrics' {@code RecentlyActive} takes: the past three hours. */
  static final Duration RECENTLY_ACTIVE = Duration.ofHours(3);

  private record Spell(long fromEpochSecond, long untilEpochSecond) {}

  private final Map<String, List<Spell>> idleSpells = new ConcurrentHashMap<>();
  private final Map<String, Instant> deletedAt = new ConcurrentHashMap<>();

  /** The API serves no request in [from, until). */
  void idle(String apiId, Instant from, Instant until) {
    if (!from.isBefore(until)) {
      throw new IllegalArgumentException(
          "an idle spell must end after it starts: " + from + " to " + until);
    }
    idleSpells.compute(
        apiId,
        (id, spells) -> {
          List<Spell> updated = spells == null ? new ArrayList<>() : new ArrayList<>(spells);
          updated.add(new Spell(from.getEpochSecond(), until.getEpochSecond()));
          return List.copyOf(updated);
        });
  }

  void deleted(String apiId, Instant at) {
    deletedAt.put(apiId, at);
  }

  void restored(String apiId) {
    deletedAt.remove(apiId);
  }

  /** Whether every API serves all the time (no idle spell, no deletion): nothing to filter. */
  boolean always() {
    return idleSpells.isEmpty() && deletedAt.isEmpty();
  }

  /**
   * Whether the API served requests in some minute starting in [fromEpochSecond, toEpochSecond):
   * what makes a CloudWatch datapoint (of a period) or a recently active series (of three hours).
   */
  boolean served(String apiId, long fromEpochSecond, long toEpochSecond) {
    if (always()) {
      return true; // the usual case, and the one scale benchmarks take for every datapoint
    }
    Instant deleted = deletedAt.get(apiId);
    long to = deleted == null ? toEpochSecond : Math.min(toEpochSecond, deleted.getEpochSecond());
    List<Spell> spells = idleSpells.getOrDefault(apiId, List.of());
    for (long minute = Math.floorDiv(fromEpochSecond + 59, 60) * 60; minute < to; minute += 60) {
      long idleUntil = idleUntil(spells, minute);
      if (idleUntil == minute) {
        return true; // not idle in this minute
      }
      minute = Math.floorDiv(idleUntil + 59, 60) * 60 - 60; // jump over the spell
    }
    return false;
  }

  /** The end of the idle spells covering {@code minute}, or {@code minute} when none does. */
  private static long idleUntil(List<Spell> spells, long minute) {
    long until = minute;
    boolean extended = true;
    while (extended) { // spells may overlap or follow each other
      extended = false;
      for (Spell spell : spells) {
        if (spell.fromEpochSecond() <= until && until < spell.untilEpochSecond()) {
          until = spell.untilEpochSecond();
          extended = true;
        }
      }
    }
    return until;
  }
}
