package io.github.apigatewayotel.logs.internal;

/**
 * One line split into the values of a {@link LiteralSegmentParser}'s format: a depth-first search
 * over where each value ends, leftmost first. A value ends at an occurrence of the literal that
 * follows it; a value whose shape may hold that literal (a route key and a space) also tries later
 * occurrences when the rest of the line does not fit. The search stops at the first split where
 * every value has its shape, so well-formed lines cost one pass. Work (chars examined) is capped in
 * proportion to the line, so a hostile line costs linear time and is then a mismatch.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
final class SegmentSearch {

  /** Work allowed per char of the line: a handful of re-scans for backtracking. */
  static final int WORK_PER_CHAR = 16;

  /** Work allowed on top, so short lines may backtrack freely. */
  static final int BASE_WORK = 4096;

  private static final int NO_END = -1;

  private final String leadingLiteral;
  private final String[] followingLiterals;
  private final ValueShape[] shapes;
  private final boolean[] mayHoldFollowing;
  private final String line;

  /** The line without trailing whitespace (a CR, a final space), which the format never has. */
  private final int end;

  private final long budget;
  private long work;

  SegmentSearch(
      String leadingLiteral,
      String[] followingLiterals,
      ValueShape[] shapes,
      boolean[] mayHoldFollowing,
      String line) {
    this.leadingLiteral = leadingLiteral;
    this.followingLiterals = followingLiterals;
    this.shapes = shapes;
    this.mayHoldFollowing = mayHoldFollowing;
    this.line = line;
    this.end = trimmedEnd(line);
    this.budget = (long) WORK_PER_CHAR * line.length() + BASE_WORK;
  }

  /** Splits the line; on success sets each value's slot in {@code values} and returns true. */
  boolean run(int[] slots, LineValues values) {
    if (!line.startsWith(leadingLiteral)) {
      return false;
    }
    int last = shapes.length - 1;
    int[] ends = new int[shapes.length];
    ends[0] = NO_END;
    int i = 0;
    while (i >= 0 && work <= budget) {
      int start = startOf(i, ends);
      if (i == last) {
        int lastEnd = lastValueEnd(start);
        if (lastEnd != NO_END) {
          ends[last] = lastEnd;
          record(ends, slots, values);
          return true;
        }
        i--;
        continue;
      }
      int next = nextEnd(i, start, ends[i]);
      if (next == NO_END) {
        i--;
        continue;
      }
      ends[i] = next;
      i++;
      ends[i] = NO_END;
    }
    return false;
  }

  /** Work done so far: chars examined plus candidate ends tried. */
  long work() {
    return work;
  }

  /** Work allowed for this line. */
  long budget() {
    return budget;
  }

  private int startOf(int value, int[] ends) {
    return value == 0
        ? leadingLiteral.length()
        : ends[value - 1] + followingLiterals[value - 1].length();
  }

  /**
   * The next place value {@code i} (starting at {@code start}) may end after {@code previous}
   * ({@link #NO_END} for the first try), or {@link #NO_END} when there is none.
   */
  private int nextEnd(int i, int start, int previous) {
    String literal = followingLiterals[i];
    ValueShape shape = shapes[i];
    int from = start;
    if (previous != NO_END) {
      if (!mayHoldFollowing[i]) {
        return NO_END;
      }
      from = previous + 1;
    }
    // Chars before `scanned` are known to be allowed in this value.
    int scanned = previous == NO_END ? start : previous;
    while (work <= budget) {
      int found = line.indexOf(literal, from);
      if (found < 0 || found + literal.length() > end) {
        work += line.length() - from;
        return NO_END;
      }
      work += found - from + 1;
      int disallowed = shape.firstDisallowed(line, scanned, found);
      work += (disallowed < 0 ? found : disallowed) - scanned;
      if (disallowed >= 0) {
        return NO_END; // every later end would hold that char too
      }
      scanned = found;
      if (fits(shape, start, found)) {
        return found;
      }
      if (!mayHoldFollowing[i]) {
        return NO_END;
      }
      from = found + 1;
    }
    return NO_END;
  }

  /** The end of the last value, which the last literal anchors to the end of the line. */
  private int lastValueEnd(int start) {
    String literal = followingLiterals[followingLiterals.length - 1];
    int valueEnd = end - literal.length();
    work += literal.length() + 1;
    if (valueEnd < start || !line.startsWith(literal, valueEnd)) {
      return NO_END;
    }
    ValueShape shape = shapes[shapes.length - 1];
    int disallowed = shape.firstDisallowed(line, start, valueEnd);
    work += (disallowed < 0 ? valueEnd : disallowed) - start;
    return disallowed < 0 && fits(shape, start, valueEnd) ? valueEnd : NO_END;
  }

  private boolean fits(ValueShape shape, int start, int valueEnd) {
    if (shape.holdsAnything()) {
      return true;
    }
    work += valueEnd - start;
    return shape.fits(line, start, valueEnd);
  }

  private void record(int[] ends, int[] slots, LineValues values) {
    for (int i = 0; i < slots.length; i++) {
      values.set(slots[i], line, startOf(i, ends), ends[i]);
    }
  }

  /** The end of {@code line} without trailing whitespace (a CR, a final space). */
  static int trimmedEnd(String line) {
    int end = line.length();
    while (end > 0 && Character.isWhitespace(line.charAt(end - 1))) {
      end--;
    }
    return end;
  }
}
