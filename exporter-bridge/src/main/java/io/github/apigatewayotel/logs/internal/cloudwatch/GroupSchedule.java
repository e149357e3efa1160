package io.github.apigatewayotel.logs.internal.cloudwatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * Which log groups a poll reads, and in what order.
 *
 * <p>Each group backs off on its own after a failure, so one group the role may not read (IAM
 * scoped to some group ARNs) or a 5xx stuck on one group does not hold up the others. Each poll
 * starts with the group after the last one served, so when throttling cuts polls short, the groups
 * at the end of the list are reached within a bounded number of polls instead of never.
 *
 * <p>Not thread-safe: one poll at a time owns it.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class GroupSchedule {

  private final DoubleSupplier random;
  private final Map<String, RetryBackoff> backoffs = new HashMap<>();
  private String lastServed;

  /** {@code random} yields values in [0, 1), the jitter of every group's backoff. */
  public GroupSchedule(DoubleSupplier random) {
    this.random = random;
  }

  /**
   * {@code groups} in their own order, rotated to start after the last group served (from the first
   * when that group is no longer read). Groups backing off are left out.
   */
  public List<String> order(Collection<String> groups, long nowMillis) {
    List<String> all = new ArrayList<>(groups);
    int start = lastServed == null ? 0 : all.indexOf(lastServed) + 1;
    List<String> ordered = new ArrayList<>(all.size());
    for (int i = 0; i < all.size(); i++) {
      String group = all.get((start + i) % all.size());
      if (mayTry(group, nowMillis)) {
        ordered.add(group);
      }
    }
    return ordered;
  }

  /** Whether {@code group} may be read at {@code nowMillis}. */
  public boolean mayTry(String group, long nowMillis) {
    RetryBackoff backoff = backoffs.get(group);
    return backoff == null || backoff.mayTry(nowMillis);
  }

  /** Records that reading {@code group} failed; returns how long the group now waits. */
  public Duration failed(String group, long nowMillis) {
    return backoffs.computeIfAbsent(group, g -> new RetryBackoff(random)).failed(nowMillis);
  }

  /** Records that {@code group} was read to the end of the poll. */
  public void served(String group) {
    backoffs.remove(group);
    lastServed = group;
  }

  /** Forgets a group no longer read (deleted). */
  public void forget(String group) {
    backoffs.remove(group);
  }

  /** Forgets the backoffs of the groups no longer read (discovery no longer finds them). */
  public void retainOnly(Collection<String> groups) {
    backoffs.keySet().retainAll(groups);
  }

  /** How many failures in a row {@code group} has had (0 when none). */
  public int consecutiveFailures(String group) {
    RetryBackoff backoff = backoffs.get(group);
    return backoff == null ? 0 : backoff.consecutiveFailures();
  }
}
