package io.github.apigatewayotel.logs.internal.cloudwatch;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * How far one log group has been read. The invariant that makes restarts exact: every event with a
 * timestamp at or after {@link #floor()} that was already handed to the bridge has its id in the
 * seen set. The next query starts at the floor, and events whose ids were seen are skipped; nothing
 * below the floor is queried again.
 *
 * <p>CloudWatch timestamps are milliseconds and many events share one, so a timestamp alone cannot
 * say where reading stopped; and events are ingested late, so the floor trails the query end by an
 * overlap window, re-reading it and skipping what was seen. Not thread-safe: one poll at a time
 * owns it.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class GroupCheckpoint {

  private long floor;
  private final NavigableMap<Long, Set<String>> seenByTimestamp = new TreeMap<>();
  private int seenCount;

  private GroupCheckpoint(long floor) {
    this.floor = floor;
  }

  /** A group never read before: reading starts at {@code floor}, nothing seen. */
  public static GroupCheckpoint startingAt(long floor) {
    return new GroupCheckpoint(floor);
  }

  /** The timestamp (epoch ms) the next query starts at. */
  public long floor() {
    return floor;
  }

  public int seenCount() {
    return seenCount;
  }

  /** Whether the event was already handed to the bridge. */
  public boolean isSeen(long timestamp, String eventId) {
    Set<String> ids = seenByTimestamp.get(timestamp);
    return ids != null && ids.contains(eventId);
  }

  /**
   * Records an event handed to the bridge. An event below the floor is never queried again, so it
   * needs no record.
   */
  public void markEmitted(long timestamp, String eventId) {
    if (timestamp < floor) {
      return;
    }
    if (seenByTimestamp.computeIfAbsent(timestamp, t -> new LinkedHashSet<>()).add(eventId)) {
      seenCount++;
    }
  }

  /** Raises the floor (never lowers it) and forgets the ids below it. */
  public void raiseFloor(long newFloor) {
    if (newFloor <= floor) {
      return;
    }
    floor = newFloor;
    NavigableMap<Long, Set<String>> below = seenByTimestamp.headMap(newFloor, false);
    for (Set<String> ids : below.values()) {
      seenCount -= ids.size();
    }
    below.clear();
  }

  /**
   * Keeps at most {@code maxSeenIds} ids by raising the floor over the oldest timestamps, whole
   * timestamps at a time; the ids of the newest timestamp are always kept, however many, because
   * dropping them would repeat lines. Raising the floor shortens the overlap window (late events
   * below it are no longer looked for), which is why the caller counts it. Returns whether the
   * floor moved.
   */
  public boolean limitSeenIds(int maxSeenIds) {
    if (seenCount <= maxSeenIds || seenByTimestamp.size() <= 1) {
      return false;
    }
    long newest = seenByTimestamp.lastKey();
    int kept = 0;
    long newFloor = newest;
    for (Map.Entry<Long, Set<String>> entry : seenByTimestamp.descendingMap().entrySet()) {
      if (entry.getKey() != newest && kept + entry.getValue().size() > maxSeenIds) {
        break;
      }
      kept += entry.getValue().size();
      newFloor = entry.getKey();
    }
    long before = floor;
    raiseFloor(newFloor);
    return floor != before;
  }

  /** The seen ids in timestamp order, for persisting. */
  public List<SeenEvent> seenEvents() {
    List<SeenEvent> events = new ArrayList<>(seenCount);
    for (Map.Entry<Long, Set<String>> entry : seenByTimestamp.entrySet()) {
      for (Iterator<String> ids = entry.getValue().iterator(); ids.hasNext(); ) {
        events.add(new SeenEvent(entry.getKey(), ids.next()));
      }
    }
    return events;
  }

  /** One event already handed to the bridge. */
  public record SeenEvent(long timestamp, String eventId) {}
}
