package io.github.apigatewayotel.push;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Compares the {@code X-Amz-Firehose-Access-Key} header with the configured key in constant time:
 * both are hashed (so not even the length leaks) and compared with {@link MessageDigest#isEqual}.
 */
final class AccessKeyCheck {

  private final byte[] expected;

  /**
   * {@code accessKey}: null or empty accepts every request (an endpoint behind a private network).
   */
  AccessKeyCheck(String accessKey) {
    this.expected = accessKey == null || accessKey.isEmpty() ? null : sha256(accessKey);
  }

  boolean required() {
    return expected != null;
  }

  boolean accepts(String presented) {
    if (expected == null) {
      return true;
    }
    return MessageDigest.isEqual(expected, sha256(presented == null ? "" : presented));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java platform", e);
    }
  }
}
