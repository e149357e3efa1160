package io.github.apigatewayotel.receiver.internal;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * The time a transport signs its requests with: this host's clock corrected by the offset AWS
 * revealed, kept as the SDK's clients keep theirs. AWS refuses a signature more than 5 minutes from
 * its own clock; uncorrected, a host whose clock is further off fails every call for ever. As in the
 * SDK (its ClockSkewAdjuster), the offset is learned only from an error answer that is a clock-skew
 * error, from that answer's {@code Date} header, and replaces the previous one. Thread-safe: the
 * offset is a single volatile value.
 */
final class SigningClock {

  /** Codes that always mean the request's time is out of AWS's range (the SDK's definite clock-skew codes). */
  private static final Set<String> TIME_ERRORS = Set.of("RequestTimeTooSkewed", "RequestExpired", "RequestInTheFuture");
  /** Bad-signature codes, which mean clock skew when AWS words them so (see {@link #isClockSkewError}). */
  private static final Set<String> SIGNATURE_ERRORS = Set.of("SignatureDoesNotMatch", "InvalidSignatureException", "AuthFailure");

  /** Seconds this host's clock is ahead of AWS's (negative: behind), the sign the SDK uses. */
  private volatile long offsetSeconds;

  /** The offset to sign the next request with; pass it to {@link #now(Duration)} and to the error's clockSkew. */
  Duration offset() {
    return Duration.ofSeconds(offsetSeconds);
  }

  /** The corrected time for a request signed with {@code offset}. */
  static Instant now(Duration offset) {
    return Instant.now().minus(offset);
  }

  /**
   * Whether {@code error} says the request's time was out of AWS's range: a definite code such as
   * RequestTimeTooSkewed; a bad signature AWS words as "Signature expired" or "Signature not yet
   * current"; or the SDK's own test ({@link AwsServiceException#isClockSkewException()}: a bad signature
   * or 401/403 whose answer's {@code Date} is at least 4 minutes off the signing time, which needs the
   * error's clockSkew). The wording is checked because the exceptions the SDK's clients throw have lost
   * their clockSkew, so the SDK's test cannot tell their skew from bad credentials.
   */
  static boolean isClockSkewError(AwsServiceException error) {
    String code = error.awsErrorDetails() == null ? null : error.awsErrorDetails().errorCode();
    if (code != null && TIME_ERRORS.contains(code)) {
      return true;
    }
    if (code != null && SIGNATURE_ERRORS.contains(code)) {
      String message = String.valueOf(error.awsErrorDetails().errorMessage());
      if (message.contains("Signature expired") || message.contains("Signature not yet current")) {
        return true;
      }
    }
    return error.isClockSkewException();
  }

  /**
   * Learns the offset from {@code error}'s answer when the error {@link #isClockSkewError is a clock-skew error}.
   *
   * @return whether the offset was set
   */
  boolean learnFrom(AwsServiceException error) {
    if (error.awsErrorDetails() == null || !isClockSkewError(error)) {
      return false;
    }
    Optional<Instant> serverTime = serverTime(error.awsErrorDetails().sdkHttpResponse());
    if (serverTime.isEmpty()) {
      return false;
    }
    offsetSeconds = Duration.between(serverTime.get(), Instant.now()).getSeconds();
    return true;
  }

  /** The answer's {@code Date} (RFC 1123, as AWS writes it), if there is a readable one. */
  static Optional<Instant> serverTime(SdkHttpResponse response) {
    if (response == null) {
      return Optional.empty();
    }
    try {
      return response.firstMatchingHeader("Date").map(d -> DateTimeFormatter.RFC_1123_DATE_TIME.parse(d.trim(), Instant::from));
    } catch (DateTimeException e) { // an unreadable Date leaves the offset as it is, as in the SDK
      return Optional.empty();
    }
  }
}
