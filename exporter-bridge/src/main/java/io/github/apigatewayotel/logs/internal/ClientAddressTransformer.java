package io.github.apigatewayotel.logs.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Applies a client-address policy: truncation to the network (IPv4 /24, IPv6 /48) or a keyed
 * HMAC-SHA256 (hex, first 16 bytes), in the attribute and in the body. With truncation a value that
 * is not an IP address is dropped ({@code null}); with hashing it is hashed as text, so nothing
 * unparsed is ever passed through. Thread-safe.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class ClientAddressTransformer {

  /** What a dropped address becomes in the body: API Gateway's own "no value". */
  static final String DROPPED = "-";

  private static final String HMAC = "HmacSHA256";
  private static final int HASH_BYTES = 16;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final boolean hash;
  private final SecretKeySpec key;
  private final ThreadLocal<Mac> macs;

  /** Lines from one client come in runs: the last input and output, replaced, never mutated. */
  private volatile Recent recent;

  private ClientAddressTransformer(boolean hash, byte[] key) {
    this.hash = hash;
    this.key = hash ? new SecretKeySpec(key, HMAC) : null;
    this.macs = hash ? ThreadLocal.withInitial(this::newMac) : null;
  }

  public static ClientAddressTransformer truncating() {
    return new ClientAddressTransformer(false, null);
  }

  public static ClientAddressTransformer hashing(byte[] key) {
    ClientAddressTransformer transformer = new ClientAddressTransformer(true, key);
    transformer.newMac(); // fail at build time, not on the first line
    return transformer;
  }

  /** The transformed address, or null when it must be dropped. */
  public String transform(String address) {
    Recent cached = recent;
    if (cached != null && cached.input.equals(address)) {
      return cached.output;
    }
    String output = compute(address);
    recent = new Recent(address, output);
    return output;
  }

  /**
   * {@code body} with each standalone occurrence of {@code address} (not inside a longer address or
   * number) replaced by its transformed value.
   */
  public String rewriteBody(String body, String address, String transformed) {
    if (address.isEmpty()) {
      return body;
    }
    String replacement = transformed != null ? transformed : DROPPED;
    int at = body.indexOf(address);
    if (at < 0) {
      return body;
    }
    StringBuilder out = null;
    int copied = 0;
    while (at >= 0) {
      int end = at + address.length();
      if (isBoundary(body, at - 1) && isBoundary(body, end)) {
        if (out == null) {
          out = new StringBuilder(body.length());
        }
        out.append(body, copied, at).append(replacement);
        copied = end;
        at = body.indexOf(address, end);
      } else {
        at = body.indexOf(address, at + 1);
      }
    }
    return out == null ? body : out.append(body, copied, body.length()).toString();
  }

  /**
   * For lines whose variables could not be read (mismatch, too long): every token that parses as an
   * IPv4 or IPv6 address is transformed, since which one is the client's is unknown.
   */
  public String scrubBody(String body) {
    StringBuilder out = null;
    int copied = 0;
    int i = 0;
    int length = body.length();
    while (i < length) {
      if (!isAddressChar(body.charAt(i))) {
        i++;
        continue;
      }
      int start = i;
      while (i < length && isAddressChar(body.charAt(i))) {
        i++;
      }
      if (looksLikeAddress(body, start, i)) {
        String token = body.substring(start, i);
        if (parse(token) != null) {
          if (out == null) {
            out = new StringBuilder(length);
          }
          String transformed = transform(token);
          out.append(body, copied, start).append(transformed != null ? transformed : DROPPED);
          copied = i;
        }
      }
    }
    return out == null ? body : out.append(body, copied, length).toString();
  }

  private String compute(String address) {
    String canonical = parse(address);
    if (hash) {
      // The canonical form, so that two spellings of one IPv6 address hash alike.
      return hmac(canonical != null ? canonical : address);
    }
    return canonical == null ? null : truncate(address);
  }

  /** The canonical form of an IPv4 or IPv6 literal, or null. */
  static String parse(String address) {
    String text = address.strip();
    long ipv4 = IpAddresses.parseIpv4(text, 0, text.length());
    if (ipv4 >= 0) {
      return IpAddresses.formatIpv4(ipv4);
    }
    int[] groups = IpAddresses.parseIpv6(text);
    return groups == null ? null : IpAddresses.formatIpv6(groups);
  }

  private static String truncate(String address) {
    String text = address.strip();
    long ipv4 = IpAddresses.parseIpv4(text, 0, text.length());
    if (ipv4 >= 0) {
      return IpAddresses.formatIpv4(ipv4 & 0xffffff00L);
    }
    int[] groups = IpAddresses.parseIpv6(text);
    if (IpAddresses.isIpv4Mapped(groups)) {
      // ::ffff:a.b.c.d is an IPv4 client: its /48 would be ::, its network is a.b.c.0.
      return IpAddresses.formatIpv4(((long) groups[6] << 16 | groups[7]) & 0xffffff00L);
    }
    for (int i = 3; i < 8; i++) {
      groups[i] = 0;
    }
    return IpAddresses.formatIpv6(groups);
  }

  private String hmac(String value) {
    byte[] digest = macs.get().doFinal(value.getBytes(StandardCharsets.UTF_8));
    char[] hex = new char[HASH_BYTES * 2];
    for (int i = 0; i < HASH_BYTES; i++) {
      hex[2 * i] = HEX[(digest[i] >> 4) & 0xf];
      hex[2 * i + 1] = HEX[digest[i] & 0xf];
    }
    return new String(hex);
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private static boolean looksLikeAddress(String body, int start, int end) {
    int dots = 0;
    int colons = 0;
    for (int i = start; i < end; i++) {
      char c = body.charAt(i);
      if (c == '.') {
        dots++;
      } else if (c == ':') {
        colons++;
      }
    }
    return dots == 3 || colons >= 2;
  }

  private static boolean isBoundary(String body, int index) {
    return index < 0 || index >= body.length() || !isAddressChar(body.charAt(index));
  }

  private static boolean isAddressChar(char c) {
    return (c >= '0' && c <= '9')
        || (c >= 'a' && c <= 'f')
        || (c >= 'A' && c <= 'F')
        || c == '.'
        || c == ':';
  }

  private record Recent(String input, String output) {}
}
