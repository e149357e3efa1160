package io.github.apigatewayotel.logs.internal;

/** Number parsing on a range of a string, without allocating or throwing. */
final class Numbers {

  /** Longest decimal that always fits a long. */
  private static final int MAX_DIGITS = 18;

  private Numbers() {}

  /** The non-negative decimal in {@code text[start, end)}, or -1 when it is not one. */
  static long nonNegativeLong(String text, int start, int end) {
    int length = end - start;
    if (length <= 0 || length > MAX_DIGITS) {
      return -1;
    }
    long result = 0;
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      result = result * 10 + (c - '0');
    }
    return result;
  }
}
