package io.github.apigatewayotel.logs.internal;

import java.util.List;

/**
 * Parses lines of a non-JSON format (CLF, CSV, XML, custom) by matching the literal text between
 * variables. A value ends at an occurrence of the literal that follows it: the first one when its
 * variable cannot hold that literal (an id and a space), else the first one that lets the rest of
 * the line fit with every value in its {@link ValueShape} (a route key {@code GET /pets}, a user
 * agent with commas). The last literal is matched at the end of the line. A line no split fits is a
 * mismatch, never a line with shifted values.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
final class LiteralSegmentParser implements LineParser {

  private final String leadingLiteral;
  private final int[] slots;
  private final String[] followingLiterals;
  private final ValueShape[] shapes;

  /** Per value: whether it may hold the literal that follows it, so it may run past one. */
  private final boolean[] mayHoldFollowing;

  private LiteralSegmentParser(
      String leadingLiteral, int[] slots, String[] followingLiterals, ValueShape[] shapes) {
    this.leadingLiteral = leadingLiteral;
    this.slots = slots;
    this.followingLiterals = followingLiterals;
    this.shapes = shapes;
    this.mayHoldFollowing = new boolean[shapes.length];
    for (int i = 0; i < shapes.length; i++) {
      mayHoldFollowing[i] = shapes[i].mayHold(followingLiterals[i]);
    }
  }

  /**
   * Compiles tokens whose variable names are resolved to slots by {@code slotOf}. Throws
   * IllegalArgumentException when two variables touch, since nothing could tell where the first
   * ends.
   */
  static LiteralSegmentParser compile(List<TemplateToken> tokens, SlotResolver slotOf) {
    int variableCount = 0;
    for (TemplateToken token : tokens) {
      if (token.isVariable()) {
        variableCount++;
      }
    }
    int[] slots = new int[variableCount];
    String[] following = new String[variableCount];
    ValueShape[] shapes = new ValueShape[variableCount];
    String leading = "";
    int index = -1;
    for (TemplateToken token : tokens) {
      if (token.isVariable()) {
        if (index >= 0 && following[index].isEmpty()) {
          throw new IllegalArgumentException(
              "access log format has $"
                  + token.text()
                  + " directly after another variable with no separating text; the two values"
                  + " cannot be told apart");
        }
        index++;
        slots[index] = slotOf.slot(token.text());
        shapes[index] = ValueShape.of(token.text());
        following[index] = "";
      } else if (index < 0) {
        leading = token.text();
      } else {
        following[index] = following[index] + token.text();
      }
    }
    if (variableCount > 0) {
      // Lines are compared without trailing whitespace, so the format must be too.
      following[variableCount - 1] = following[variableCount - 1].stripTrailing();
    }
    return new LiteralSegmentParser(leading, slots, following, shapes);
  }

  /**
   * Tries the leftmost split first, the one the search would try first, without allocating: on a
   * well-formed line it fits. Only when a value fails its shape does the search backtrack.
   */
  @Override
  public boolean parse(String line, LineValues values) {
    if (slots.length == 0 || !line.startsWith(leadingLiteral)) {
      return false;
    }
    int end = SegmentSearch.trimmedEnd(line);
    int position = leadingLiteral.length();
    int last = slots.length - 1;
    for (int i = 0; i < last; i++) {
      String literal = followingLiterals[i];
      int found = line.indexOf(literal, position);
      if (found < 0 || found + literal.length() > end) {
        return false; // values start no earlier in any other split, so none fits
      }
      if (!shapes[i].accepts(line, position, found)) {
        return search(line).run(slots, values);
      }
      values.set(slots[i], line, position, found);
      position = found + literal.length();
    }
    String lastLiteral = followingLiterals[last];
    int valueEnd = end - lastLiteral.length();
    if (valueEnd < position || !line.startsWith(lastLiteral, valueEnd)) {
      return false; // an earlier value running longer would only leave less room
    }
    if (!shapes[last].accepts(line, position, valueEnd)) {
      return search(line).run(slots, values);
    }
    values.set(slots[last], line, position, valueEnd);
    return true;
  }

  /** A search for one line's split; tests read its work counter. */
  SegmentSearch search(String line) {
    return new SegmentSearch(leadingLiteral, followingLiterals, shapes, mayHoldFollowing, line);
  }

  /** Maps a variable name to its value slot. */
  interface SlotResolver {
    int slot(String variable);
  }
}
