package io.github.apigatewayotel.logs.internal;

/**
 * Number parsing on a range of a string, without allocating or throwing.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
final class Numbers {

  /** Longest decimal that always fits a long. */
  private static final int MAX_DIGITS = 18;

  /**
   * Boxes for 0..1023: every HTTP status and many sizes and latencies. The attribute API takes a
   * {@code Long}, and {@code Long.valueOf} only caches up to 127, so a status was one allocation
   * per line.
   */
  private static final Long[] SMALL = new Long[1024];

  static {
    for (int i = 0; i < SMALL.length; i++) {
      SMALL[i] = (long) i;
    }
  }

  private Numbers() {}

  /** {@code value} boxed, without allocating when it is in 0..1023. */
  static Long boxed(long value) {
    return value >= 0 && value < SMALL.length ? SMALL[(int) value] : Long.valueOf(value);
  }

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
