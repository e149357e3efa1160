package io.github.apigatewayotel.logs;

import java.util.Arrays;
import java.util.Objects;

/**
 * What the bridge does with {@code client.address} ({@code $context.identity.sourceIp}) for users
 * who must not store client IPs: {@link #keep()} it (the default), {@link #truncate()} it to its
 * network (IPv4 /24, IPv6 /48), or {@link #hash(byte[])} it with a secret key. With truncate or
 * hash the address is also replaced in the record's body (the raw line), and a value that is not an
 * IP address is never passed through. Immutable.
 */
public final class ClientAddressPolicy {

  /** How the address is transformed. */
  public enum Mode {
    KEEP,
    TRUNCATE,
    HASH
  }

  private static final ClientAddressPolicy KEEP = new ClientAddressPolicy(Mode.KEEP, null);
  private static final ClientAddressPolicy TRUNCATE = new ClientAddressPolicy(Mode.TRUNCATE, null);

  private final Mode mode;
  private final byte[] key;

  private ClientAddressPolicy(Mode mode, byte[] key) {
    this.mode = mode;
    this.key = key;
  }

  /** The address as API Gateway logged it. */
  public static ClientAddressPolicy keep() {
    return KEEP;
  }

  /**
   * The address's network: IPv4 with the last octet zeroed ({@code 203.0.113.0}), IPv6 with all but
   * the first 48 bits zeroed, in canonical (RFC 5952) form. A value that is not an IP address is
   * dropped.
   */
  public static ClientAddressPolicy truncate() {
    return TRUNCATE;
  }

  /**
   * HMAC-SHA256 of the address under {@code key}, as 32 hex digits (the first 16 bytes). Keyed,
   * because an unkeyed hash of an IPv4 address is reversed by hashing all 2^32 addresses.
   */
  public static ClientAddressPolicy hash(byte[] key) {
    Objects.requireNonNull(key, "key");
    if (key.length == 0) {
      throw new IllegalArgumentException("the client address hash key is empty");
    }
    return new ClientAddressPolicy(Mode.HASH, key.clone());
  }

  public Mode mode() {
    return mode;
  }

  /** The HMAC key (a copy), or null unless {@link Mode#HASH}. */
  byte[] key() {
    return key == null ? null : key.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ClientAddressPolicy that
        && mode == that.mode
        && Arrays.equals(key, that.key);
  }

  @Override
  public int hashCode() {
    return mode.hashCode() * 31 + Arrays.hashCode(key);
  }

  /** Never shows the key. */
  @Override
  public String toString() {
    return "ClientAddressPolicy[" + mode.name().toLowerCase(java.util.Locale.ROOT) + "]";
  }
}
