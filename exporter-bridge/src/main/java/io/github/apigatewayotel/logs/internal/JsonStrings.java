package io.github.apigatewayotel.logs.internal;

/**
 * Scanning and unescaping of JSON string content, without allocating when nothing is escaped.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
final class JsonStrings {

  private JsonStrings() {}

  /**
   * Returns the index of the quote that closes a string whose content starts at {@code from}, or -1
   * when the line ends first.
   */
  static int closingQuote(String line, int from) {
    int quote = line.indexOf('"', from);
    while (quote > 0 && isEscaped(line, quote, from)) {
      quote = line.indexOf('"', quote + 1);
    }
    return quote;
  }

  /** Whether an odd number of backslashes (back to {@code from}) precede {@code index}. */
  private static boolean isEscaped(String line, int index, int from) {
    int backslashes = 0;
    for (int i = index - 1; i >= from && line.charAt(i) == '\\'; i--) {
      backslashes++;
    }
    return (backslashes & 1) == 1;
  }

  /** Scans only the value, not the rest of the line as {@code indexOf} would. */
  static boolean hasBackslash(String line, int start, int end) {
    for (int i = start; i < end; i++) {
      if (line.charAt(i) == '\\') {
        return true;
      }
    }
    return false;
  }

  /** The string content between {@code start} and {@code end}, with JSON escapes decoded. */
  static String content(String line, int start, int end) {
    if (!hasBackslash(line, start, end)) {
      return line.substring(start, end);
    }
    StringBuilder out = new StringBuilder(end - start);
    int i = start;
    while (i < end) {
      char c = line.charAt(i);
      if (c != '\\' || i + 1 >= end) {
        out.append(c);
        i++;
        continue;
      }
      char escape = line.charAt(i + 1);
      i += 2;
      switch (escape) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'u' -> {
          if (i + 4 <= end) {
            try {
              out.append((char) Integer.parseInt(line, i, i + 4, 16));
              i += 4;
            } catch (NumberFormatException e) {
              out.append("\\u");
            }
          } else {
            out.append("\\u");
          }
        }
        default -> out.append(escape);
      }
    }
    return out.toString();
  }
}
