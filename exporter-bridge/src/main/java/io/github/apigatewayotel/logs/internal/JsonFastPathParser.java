package io.github.apigatewayotel.logs.internal;

/**
 * The fast JSON path: walks the line once, matching the format's literal text (tolerating any
 * whitespace outside strings, so a pretty-printed format still fits a one-line log) and cutting
 * each value at the quote or delimiter that ends it. It never builds a tree; values that were
 * written unquoted ({@code "status":$context.status}) may be numbers, quoted strings or {@code -}.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
final class JsonFastPathParser implements LineParser {

  /** One literal of the format, with, for each character, whether it lies inside a JSON string. */
  record Literal(char[] chars, boolean[] insideString) {}

  /**
   * For each literal (leading first), the exact text it last matched in a line. API Gateway writes
   * a format's literal text verbatim, so all lines of a log group share it: after the first line,
   * one intrinsic {@code indexOf} replaces the whitespace-tolerant walk. Races are benign (a String
   * reference is written atomically; a stale one only costs the slow walk).
   */
  private final String[] learnedForms;

  /** How a variable sits in the format: alone in a string, sharing a string, or unquoted. */
  enum Placement {
    WHOLE_STRING,
    PART_OF_STRING,
    UNQUOTED
  }

  private final Literal leading;
  private final int[] slots;
  private final Placement[] placements;
  private final String[] stopTexts;
  private final Literal[] following;

  JsonFastPathParser(
      Literal leading,
      int[] slots,
      Placement[] placements,
      String[] stopTexts,
      Literal[] following) {
    this.leading = leading;
    this.slots = slots;
    this.placements = placements;
    this.stopTexts = stopTexts;
    this.following = following;
    this.learnedForms = new String[following.length + 1];
  }

  @Override
  public boolean parse(String line, LineValues values) {
    return parse(line, values, false);
  }

  /**
   * This parser, but a quoted value may also end at the next occurrence of the text that follows it
   * in the format: API Gateway writes {@code $context} values into the format without JSON
   * escaping, so an error message or a user agent holding a {@code "} makes the line invalid JSON.
   * Tried only after the strict parser and the JSON tree fallback both failed, so a valid line
   * (reordered keys included) is never read this way; such a value is taken as written, raw.
   */
  LineParser tolerantOfRawQuotes() {
    return (line, values) -> parse(line, values, true);
  }

  private boolean parse(String line, LineValues values, boolean rawQuotesTolerated) {
    // One intrinsic scan tells whether any value can hold an escape; most lines have none.
    boolean mayHaveEscapes = line.indexOf('\\') >= 0;
    int position = matchLearning(0, leading, line, 0);
    for (int i = 0; i < slots.length && position >= 0; i++) {
      int valueStart = position;
      position = readValue(i, line, position, values, mayHaveEscapes);
      if (position >= 0) {
        position = matchLearning(i + 1, following[i], line, position);
      }
      if (position < 0 && rawQuotesTolerated && placements[i] == Placement.WHOLE_STRING) {
        position = readRawValue(i, line, valueStart, values);
      }
    }
    if (position < 0) {
      return false;
    }
    return skipWhitespace(line, position) == line.length();
  }

  /**
   * Reads value {@code index} as raw text up to the next occurrence of the literal that follows it
   * (as last seen in a line, else as the format writes it); returns the position after that
   * literal, or -1.
   */
  private int readRawValue(int index, String line, int valueStart, LineValues values) {
    String next = learnedForms[index + 1];
    if (next == null) {
      next = new String(following[index].chars());
    }
    int end = line.indexOf(next, valueStart);
    if (end < 0) {
      return -1;
    }
    values.set(slots[index], line, valueStart, end);
    return end + next.length();
  }

  private int readValue(
      int index, String line, int position, LineValues values, boolean mayHaveEscapes) {
    switch (placements[index]) {
      case WHOLE_STRING -> {
        int quote =
            mayHaveEscapes ? JsonStrings.closingQuote(line, position) : line.indexOf('"', position);
        if (quote < 0) {
          return -1;
        }
        setString(values, slots[index], line, position, quote, mayHaveEscapes);
        return quote;
      }
      case PART_OF_STRING -> {
        int stop = line.indexOf(stopTexts[index], position);
        if (stop < 0) {
          return -1;
        }
        setString(values, slots[index], line, position, stop, mayHaveEscapes);
        return stop;
      }
      default -> {
        int start = skipWhitespace(line, position);
        if (start < line.length() && line.charAt(start) == '"') {
          int quote =
              mayHaveEscapes
                  ? JsonStrings.closingQuote(line, start + 1)
                  : line.indexOf('"', start + 1);
          if (quote < 0) {
            return -1;
          }
          setString(values, slots[index], line, start + 1, quote, mayHaveEscapes);
          return quote + 1;
        }
        int end = start;
        while (end < line.length() && !endsUnquotedValue(line.charAt(end))) {
          end++;
        }
        if (end == start) {
          return -1;
        }
        values.set(slots[index], line, start, end);
        return end;
      }
    }
  }

  /** JSON string content: a range of the line unless escapes must be decoded. */
  private static void setString(
      LineValues values, int slot, String line, int start, int end, boolean mayHaveEscapes) {
    if (mayHaveEscapes && JsonStrings.hasBackslash(line, start, end)) {
      values.setDecoded(slot, JsonStrings.content(line, start, end));
    } else {
      values.set(slot, line, start, end);
    }
  }

  private int matchLearning(int index, Literal literal, String line, int position) {
    String learned = learnedForms[index];
    // indexOf(learned, position) == position, not startsWith or regionMatches, although a miss
    // scans on to the end of the line: the intrinsic is faster on the matches that make up nearly
    // every line (parse alone, seed JSON: 270 ns/line against 298 with startsWith, 2026-11-30).
    if (learned != null && line.indexOf(learned, position) == position) {
      return position + learned.length();
    }
    int end = match(literal, line, position);
    if (end >= 0) {
      learnedForms[index] = line.substring(position, end);
    }
    return end;
  }

  private static int match(Literal literal, String line, int position) {
    char[] chars = literal.chars();
    boolean[] insideString = literal.insideString();
    int length = line.length();
    for (int i = 0; i < chars.length; i++) {
      char c = chars[i];
      if (!insideString[i]) {
        if (isWhitespace(c)) {
          continue;
        }
        position = skipWhitespace(line, position);
      }
      if (position >= length || line.charAt(position) != c) {
        return -1;
      }
      position++;
    }
    return position;
  }

  private static int skipWhitespace(String line, int position) {
    int length = line.length();
    while (position < length && isWhitespace(line.charAt(position))) {
      position++;
    }
    return position;
  }

  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }

  private static boolean endsUnquotedValue(char c) {
    return c == ',' || c == '}' || c == ']' || isWhitespace(c);
  }
}
