package io.github.apigatewayotel.logs.internal;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * The "did you mean" of a misspelled name: the known name nearest to it by edit distance
 * (Levenshtein, case-insensitive), when it is near enough to be a typo rather than another word.
 * Used for {@code $context} variables here and for the plugin's property keys in {@code spi}.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class NearestName {

  /** Longer names allow more edits: one in three characters, at least one and at most three. */
  private static final int CHARACTERS_PER_EDIT = 3;

  private static final int MAX_EDITS = 3;

  private NearestName() {}

  /**
   * The candidate nearest to {@code name}, if within the allowed edits for its length; a candidate
   * equal but for case always is. Ties go to the first candidate in iteration order.
   */
  public static Optional<String> of(String name, Collection<String> candidates) {
    String lower = name.toLowerCase(Locale.ROOT);
    int allowed = Math.max(1, Math.min(MAX_EDITS, name.length() / CHARACTERS_PER_EDIT));
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      if (candidate.equals(name)) {
        continue;
      }
      int distance = distance(lower, candidate.toLowerCase(Locale.ROOT), allowed);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
  }

  /**
   * The edit distance of {@code a} and {@code b}, or more than {@code limit} once it exceeds it.
   */
  static int distance(String a, String b, int limit) {
    if (Math.abs(a.length() - b.length()) > limit) {
      return limit + 1;
    }
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      int rowMinimum = current[0];
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
        rowMinimum = Math.min(rowMinimum, current[j]);
      }
      if (rowMinimum > limit) {
        return limit + 1; // every later row is at least this far
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
