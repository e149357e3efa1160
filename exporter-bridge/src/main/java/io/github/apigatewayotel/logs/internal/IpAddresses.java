package io.github.apigatewayotel.logs.internal;

/**
 * Parses and formats IP address literals without {@link java.net.InetAddress}, which would resolve
 * anything that is not a literal through DNS. IPv6 is written in RFC 5952 canonical form.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
final class IpAddresses {

  private IpAddresses() {}

  /** The dotted-quad IPv4 address as an unsigned 32-bit value, or -1. */
  static long parseIpv4(String text, int start, int end) {
    long value = 0;
    int octets = 0;
    int i = start;
    while (octets < 4) {
      int digits = 0;
      int octet = 0;
      while (i < end && digits < 4 && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
        octet = octet * 10 + (text.charAt(i) - '0');
        digits++;
        i++;
      }
      if (digits == 0 || digits > 3 || octet > 255) {
        return -1;
      }
      value = (value << 8) | octet;
      octets++;
      if (octets < 4) {
        if (i >= end || text.charAt(i) != '.') {
          return -1;
        }
        i++;
      }
    }
    return i == end ? value : -1;
  }

  static String formatIpv4(long value) {
    return ((value >>> 24) & 0xff)
        + "."
        + ((value >>> 16) & 0xff)
        + "."
        + ((value >>> 8) & 0xff)
        + "."
        + (value & 0xff);
  }

  /** The eight 16-bit groups of an IPv6 literal (no zone, no brackets), or null. */
  static int[] parseIpv6(String text) {
    if (text.indexOf(':') < 0 || text.length() > 45) {
      return null;
    }
    int doubleColon = text.indexOf("::");
    if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
      return null;
    }
    int[] head = new int[8];
    int[] tail = new int[8];
    int headCount;
    int tailCount;
    if (doubleColon < 0) {
      headCount = parseGroups(text, 0, text.length(), head);
      if (headCount != 8) {
        return null;
      }
      return head;
    }
    headCount = parseGroups(text, 0, doubleColon, head);
    tailCount = parseGroups(text, doubleColon + 2, text.length(), tail);
    if (headCount < 0 || tailCount < 0 || headCount + tailCount > 7) {
      return null;
    }
    int[] groups = new int[8];
    System.arraycopy(head, 0, groups, 0, headCount);
    System.arraycopy(tail, 0, groups, 8 - tailCount, tailCount);
    return groups;
  }

  /** Colon-separated hex groups (the last may be a dotted quad) into {@code out}; count or -1. */
  private static int parseGroups(String text, int start, int end, int[] out) {
    if (start == end) {
      return 0;
    }
    int count = 0;
    int groupStart = start;
    while (true) {
      int colon = text.indexOf(':', groupStart);
      int groupEnd = colon < 0 || colon > end ? end : colon;
      if (groupEnd == end
          && text.indexOf('.', groupStart) >= 0
          && text.indexOf('.', groupStart) < end) {
        long ipv4 = parseIpv4(text, groupStart, end);
        if (ipv4 < 0 || count + 2 > out.length) {
          return -1;
        }
        out[count++] = (int) (ipv4 >>> 16);
        out[count++] = (int) (ipv4 & 0xffff);
        return count;
      }
      int length = groupEnd - groupStart;
      if (length < 1 || length > 4 || count >= out.length) {
        return -1;
      }
      int group = 0;
      for (int i = groupStart; i < groupEnd; i++) {
        int digit = Character.digit(text.charAt(i), 16);
        if (digit < 0) {
          return -1;
        }
        group = (group << 4) | digit;
      }
      out[count++] = group;
      if (groupEnd == end) {
        return count;
      }
      groupStart = groupEnd + 1;
    }
  }

  /** RFC 5952: lower case, no leading zeros, the longest run (two or more) of zero groups as ::. */
  static String formatIpv6(int[] groups) {
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
    StringBuilder out = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(groups[i]));
    }
    return out.toString();
  }

  /** Whether {@code groups} is an IPv4-mapped address ({@code ::ffff:a.b.c.d}). */
  static boolean isIpv4Mapped(int[] groups) {
    for (int i = 0; i < 5; i++) {
      if (groups[i] != 0) {
        return false;
      }
    }
    return groups[5] == 0xffff;
  }
}
