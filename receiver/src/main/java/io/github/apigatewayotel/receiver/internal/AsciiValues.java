package io.github.apigatewayotel.receiver.internal;

import java.time.LocalDate;

/**
 * Reads the two value forms a GetMetricData answer carries by the million, in place from ASCII
 * bytes and exactly as the JDK would: UTC timestamps and short decimals. Anything else is reported
 * as not read, for the caller to hand to the general parsers.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
final class AsciiValues {

  /** What {@link #utcEpochSecond} returns for text it does not read. */
  static final long NOT_READ = Long.MIN_VALUE;

  /** Significant digits below 2^53: every such integer is an exact double. */
  private static final int MAX_EXACT_DIGITS = 15;

  /** 10^0 .. 10^22: every one an exact double. */
  private static final double[] POWERS_OF_TEN = new double[23];

  static {
    POWERS_OF_TEN[0] = 1;
    for (int i = 1; i < POWERS_OF_TEN.length; i++) {
      POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
    }
  }

  private AsciiValues() {}

  /**
   * {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z} as epoch seconds (the fraction dropped, as {@code
   * Instant.getEpochSecond} drops it), or {@link #NOT_READ}. An impossible date throws {@code
   * DateTimeException}, as the SDK's parser does.
   */
  static long utcEpochSecond(byte[] b, int from, int to) {
    int n = to - from;
    if (n < 20
        || b[from + 4] != '-'
        || b[from + 7] != '-'
        || b[from + 10] != 'T'
        || b[from + 13] != ':'
        || b[from + 16] != ':'
        || b[to - 1] != 'Z'
        || n > 20 && (b[from + 19] != '.' || !allDigits(b, from + 20, to - 1))) {
      return NOT_READ;
    }
    int year = number(b, from, 4);
    int month = number(b, from + 5, 2);
    int day = number(b, from + 8, 2);
    int hour = number(b, from + 11, 2);
    int minute = number(b, from + 14, 2);
    int second = number(b, from + 17, 2);
    if (year < 0
        || month < 0
        || day < 0
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 59) {
      return NOT_READ;
    }
    return LocalDate.of(year, month, day).toEpochDay() * 86_400L
        + hour * 3_600L
        + minute * 60L
        + second;
  }

  /**
   * {@code [-]digits[.digits][(e|E)[+|-]digits]} with at most 15 significant digits and a power of
   * ten within 10^22, or NaN for anything else. Mantissa and power are then exact doubles, so one
   * multiplication or division rounds correctly (Clinger's fast path): the value {@link
   * Double#parseDouble} gives.
   */
  static double shortDecimal(byte[] b, int from, int to) {
    int i = from;
    boolean negative = i < to && b[i] == '-';
    if (negative) {
      i++;
    }
    long mantissa = 0;
    int significant = 0;
    int fractionDigits = 0;
    boolean point = false;
    boolean anyDigit = false;
    for (; i < to; i++) {
      byte c = b[i];
      if (c >= '0' && c <= '9') {
        anyDigit = true;
        if (mantissa != 0 || c != '0') {
          if (++significant > MAX_EXACT_DIGITS) {
            return Double.NaN;
          }
          mantissa = mantissa * 10 + (c - '0');
        }
        if (point) {
          fractionDigits++;
        }
      } else if (c == '.' && !point) {
        point = true;
      } else {
        break;
      }
    }
    if (!anyDigit) {
      return Double.NaN;
    }
    int exponent = 0;
    if (i < to) {
      if (b[i] != 'e' && b[i] != 'E' || ++i == to) {
        return Double.NaN;
      }
      boolean negativeExponent = b[i] == '-';
      if (b[i] == '-' || b[i] == '+') {
        i++;
      }
      if (i == to || to - i > 3 || !allDigits(b, i, to)) {
        return Double.NaN;
      }
      exponent = number(b, i, to - i);
      if (negativeExponent) {
        exponent = -exponent;
      }
    }
    int power = exponent - fractionDigits;
    double value;
    if (mantissa == 0) {
      value = 0.0;
    } else if (power >= 0 && power < POWERS_OF_TEN.length) {
      value = mantissa * POWERS_OF_TEN[power];
    } else if (power < 0 && -power < POWERS_OF_TEN.length) {
      value = mantissa / POWERS_OF_TEN[-power];
    } else {
      return Double.NaN;
    }
    return negative ? -value : value;
  }

  private static boolean allDigits(byte[] b, int from, int to) {
    if (from >= to) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (b[i] < '0' || b[i] > '9') {
        return false;
      }
    }
    return true;
  }

  /** The {@code width} decimal digits at {@code from}, or -1 if they are not all digits. */
  private static int number(byte[] b, int from, int width) {
    int value = 0;
    for (int i = from; i < from + width; i++) {
      if (b[i] < '0' || b[i] > '9') {
        return -1;
      }
      value = value * 10 + (b[i] - '0');
    }
    return value;
  }
}
