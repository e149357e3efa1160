package io.github.apigatewayotel.receiver.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * SigV4 in the Authorization header, for a request whose payload hash is already known: what
 * the SDK's {@link AwsV4HttpSigner} gives for this transport's requests (a {@code POST} to
 * {@code /}, no query), header for header and to the signature, which a test holds it to. The
 * SDK's signer has no way to take a precomputed hash: it always digests the whole payload.
 */
final class SigV4 {

  private static final String ALGORITHM = "AWS4-HMAC-SHA256";
  /** Headers the SDK's signer leaves out of the signature. */
  private static final Set<String> UNSIGNED = Set.of("connection", "x-amzn-trace-id", "user-agent", "expect", "transfer-encoding");
  /** Per thread: the JDK's SHA-256 and HMAC, looked up once rather than per call. */
  private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> instance(() -> MessageDigest.getInstance("SHA-256")));
  private static final ThreadLocal<Mac> HMAC_SHA_256 = ThreadLocal.withInitial(() -> instance(() -> Mac.getInstance("HmacSHA256")));


  private SigV4() {}

  static SdkHttpRequest sign(SdkHttpFullRequest request, String payloadSha256, AwsCredentials identity, String region,
      String service, Instant now) {
    String dateTime = basicDateTime(now);
    String scope = dateTime.substring(0, 8) + "/" + region + "/" + service + "/aws4_request";
    SdkHttpFullRequest.Builder signed = request.toBuilder()
        .putHeader("Host", SdkHttpUtils.isUsingStandardPort(request.protocol(), request.port()) ? request.host()
            : request.host() + ":" + request.port())
        .putHeader("x-amz-content-sha256", payloadSha256)
        .putHeader("X-Amz-Date", dateTime);
    if (identity instanceof AwsSessionCredentials session) {
      signed.putHeader("X-Amz-Security-Token", session.sessionToken());
    }
    StringBuilder canonical = new StringBuilder(1024).append(request.method().name()).append('\n')
        .append(request.encodedPath()).append("\n\n");
    StringBuilder signedHeaders = new StringBuilder(160);
    List<String> names = new ArrayList<>(signed.headers().keySet());
    names.replaceAll(name -> name.toLowerCase(Locale.ROOT));
    Collections.sort(names);
    for (String name : names) {
      if (UNSIGNED.contains(name)) {
        continue;
      }
      canonical.append(name).append(':');
      List<String> values = signed.headers().get(name); // the builder's header map ignores case
      for (int v = 0; v < values.size(); v++) {
        canonical.append(v == 0 ? "" : ",").append(trimAll(values.get(v)));
      }
      canonical.append('\n');
      signedHeaders.append(signedHeaders.length() == 0 ? "" : ";").append(name);
    }
    canonical.append('\n').append(signedHeaders).append('\n').append(payloadSha256);
    String stringToSign = ALGORITHM + "\n" + dateTime + "\n" + scope + "\n"
        + HexFormat.of().formatHex(SHA_256.get().digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    String signature = HexFormat.of().formatHex(hmacSha256(signingKey(scope, identity.secretAccessKey()), stringToSign));
    return signed.putHeader("Authorization", ALGORITHM + " Credential=" + identity.accessKeyId() + "/" + scope
        + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature).build();
  }

  /** {@code yyyyMMdd'T'HHmmss'Z'} in UTC. */
  static String basicDateTime(Instant now) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(now.getEpochSecond(), 0, ZoneOffset.UTC);
    StringBuilder out = new StringBuilder(16);
    digits(out, t.getYear(), 4);
    digits(out, t.getMonthValue(), 2);
    digits(out, t.getDayOfMonth(), 2);
    digits(digits(out.append('T'), t.getHour(), 2), t.getMinute(), 2);
    return digits(out, t.getSecond(), 2).append('Z').toString();
  }

  private static StringBuilder digits(StringBuilder out, int value, int width) {
    String text = Integer.toString(value);
    for (int pad = width - text.length(); pad > 0; pad--) {
      out.append('0');
    }
    return out.append(text);
  }

  /**
   * Derived per call (four HMACs, microseconds): caching it would mean keeping the secret key
   * around to tell when the credentials change.
   */
  private static byte[] signingKey(String scope, String secret) {
    byte[] key = ("AWS4" + secret).getBytes(StandardCharsets.UTF_8);
    for (String part : scope.split("/")) {
      key = hmacSha256(key, part);
    }
    return key;
  }

  /** A header value as SigV4 canonicalizes it: trimmed, runs of whitespace made one space. */
  static String trimAll(String value) {
    StringBuilder out = new StringBuilder(value.length());
    boolean space = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isWhitespace(c)) {
        space = out.length() > 0;
      } else {
        if (space) {
          out.append(' ');
          space = false;
        }
        out.append(c);
      }
    }
    return out.toString();
  }

  private static byte[] hmacSha256(byte[] key, String data) {
    Mac mac = HMAC_SHA_256.get();
    try {
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
    } catch (InvalidKeyException e) { // any key length suits HMAC
      throw new IllegalStateException(e);
    }
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }

  private interface Lookup<T> {
    T get() throws GeneralSecurityException;
  }

  private static <T> T instance(Lookup<T> lookup) {
    try {
      return lookup.get();
    } catch (GeneralSecurityException e) { // every Java platform has SHA-256 and HmacSHA256
      throw new IllegalStateException(e);
    }
  }
}
