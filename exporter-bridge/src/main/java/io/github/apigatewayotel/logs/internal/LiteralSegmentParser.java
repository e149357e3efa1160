package io.github.apigatewayotel.logs.internal;

import java.util.List;

/**
 * Parses lines of a non-JSON format (CLF, CSV, XML, custom) by matching the literal text between
 * variables: each value runs up to the first occurrence of the literal that follows it, and the
 * last literal is matched at the end of the line so the last value may hold any character.
 */
final class LiteralSegmentParser implements LineParser {

  private final String leadingLiteral;
  private final int[] slots;
  private final String[] followingLiterals;

  private LiteralSegmentParser(String leadingLiteral, int[] slots, String[] followingLiterals) {
    this.leadingLiteral = leadingLiteral;
    this.slots = slots;
    this.followingLiterals = followingLiterals;
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
    return new LiteralSegmentParser(leading, slots, following);
  }

  @Override
  public boolean parse(String line, LineValues values) {
    int end = trimmedEnd(line);
    if (!line.startsWith(leadingLiteral)) {
      return false;
    }
    int position = leadingLiteral.length();
    int last = slots.length - 1;
    for (int i = 0; i < last; i++) {
      String literal = followingLiterals[i];
      int found = line.indexOf(literal, position);
      if (found < 0 || found > end) {
        return false;
      }
      values.set(slots[i], line, position, found);
      position = found + literal.length();
    }
    String lastLiteral = followingLiterals[last];
    int valueEnd = end - lastLiteral.length();
    if (valueEnd < position || !line.startsWith(lastLiteral, valueEnd)) {
      return false;
    }
    values.set(slots[last], line, position, valueEnd);
    return true;
  }

  /** Trailing whitespace (a CR, a final space) is not part of the format. */
  private static int trimmedEnd(String line) {
    int end = line.length();
    while (end > 0 && Character.isWhitespace(line.charAt(end - 1))) {
      end--;
    }
    return end;
  }

  /** Maps a variable name to its value slot. */
  interface SlotResolver {
    int slot(String variable);
  }
}
