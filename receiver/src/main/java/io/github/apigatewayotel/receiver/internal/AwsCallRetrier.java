package io.github.apigatewayotel.receiver.internal;

import io.github.apigatewayotel.state.internal.ClockSkewErrors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Calls AWS with bounded retries, up to a maximum number of attempts; other errors are thrown at
 * once. The SDK's own retries are disabled so this is the only retry layer, and it retries what the
 * SDK's standard retry strategy would: throttling, 5xx, the codes of {@link #RETRYABLE_ERRORS},
 * clock skew (the SDK's client has learned the offset from the failed answer, so the retry is
 * signed with the corrected time), an attempt timeout and I/O failures. Each retry waits an
 * exponential backoff with "equal jitter": a random time between half the current ceiling and the
 * ceiling, so never a tight loop and never less than half the backoff.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class AwsCallRetrier {

  /**
   * Error codes AWS uses for expired or invalid credentials; retrying will not help. Not
   * RequestExpired: that is a request time out of AWS's range, i.e. clock skew. A bad signature
   * counts only when it is not a clock-skew error (see {@link #isCredentialProblem}).
   */
  static final Set<String> CREDENTIAL_ERRORS =
      Set.of(
          "ExpiredToken",
          "ExpiredTokenException",
          "InvalidClientTokenId",
          "UnrecognizedClientException",
          "SignatureDoesNotMatch",
          "InvalidSignatureException");

  /** Bad-signature codes: from a skewed clock as often as from a wrong secret key. */
  private static final Set<String> SIGNATURE_ERRORS =
      Set.of("SignatureDoesNotMatch", "InvalidSignatureException");

  /**
   * Further codes the SDK's standard strategy retries (its AwsErrorCode.RETRYABLE_ERROR_CODES, the
   * same in SDK 2.40 and 2.59).
   */
  static final Set<String> RETRYABLE_ERRORS =
      Set.of(
          "RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete", "InternalError");

  /** How deep {@link #causedByIo} looks: a bound against a cyclic or absurd cause chain. */
  private static final int MAX_CAUSE_DEPTH = 8;

  /** Sleeps; replaced in tests so backoff costs no wall time. */
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final int maxAttempts;
  private final Duration baseDelay;
  private final Duration maxDelay;
  private final Sleeper sleeper;
  private final ReceiverTelemetry telemetry;

  public AwsCallRetrier(
      int maxAttempts,
      Duration baseDelay,
      Duration maxDelay,
      Sleeper sleeper,
      ReceiverTelemetry telemetry) {
    this.maxAttempts = maxAttempts;
    this.baseDelay = baseDelay;
    this.maxDelay = maxDelay;
    this.sleeper = sleeper;
    this.telemetry = telemetry;
  }

  public <T> T call(String operation, Supplier<T> call) {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.get();
      } catch (SdkException e) {
        boolean throttled = isThrottling(e);
        if (throttled) {
          telemetry.throttled(operation);
        }
        telemetry.error(operation, errorType(e));
        if (attempt >= maxAttempts || !(throttled || isTransient(e))) {
          throw e;
        }
        backoff(attempt);
      }
    }
  }

  private void backoff(int attempt) {
    long ceiling = Math.min(maxDelay.toNanos(), baseDelay.toNanos() << Math.min(attempt - 1, 30));
    long nanos = ThreadLocalRandom.current().nextLong(ceiling / 2, Math.max(ceiling, 1) + 1);
    try {
      sleeper.sleep(Duration.ofNanos(nanos));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw SdkClientException.create("interrupted while backing off", e);
    }
  }

  static boolean isThrottling(SdkException e) {
    return e instanceof AwsServiceException service && service.isThrottlingException();
  }

  static boolean isTransient(SdkException e) {
    if (e instanceof AwsServiceException service) {
      String code =
          service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
      // A code-less error (a proxy's 502 page) must not throw: Set.of rejects null lookups.
      return service.statusCode() >= 500
          || (code != null && RETRYABLE_ERRORS.contains(code))
          || ClockSkewErrors.isClockSkewError(service);
    }
    // the 30 s per-attempt timeout of the SDK clients; the SDK's RetryableException; I/O failures
    return e instanceof ApiCallAttemptTimeoutException
        || e.retryable()
        || (e instanceof SdkClientException && causedByIo(e));
  }

  /**
   * Whether an I/O failure lies under {@code e}: as the direct cause (the SDK's own test, which
   * also counts an UncheckedIOException, as from a body cut short), or wrapped once more on the way
   * up.
   */
  private static boolean causedByIo(Throwable e) {
    Throwable cause = e.getCause();
    for (int depth = 0;
        cause != null && depth < MAX_CAUSE_DEPTH;
        depth++, cause = cause.getCause()) {
      if (cause instanceof IOException || cause instanceof UncheckedIOException) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code e} says the credentials expired or are not valid. A clock-skew error is not,
   * though AWS may word it as a bad signature: renewing the credentials would not help, the clock
   * correction (and retry) does.
   */
  public static boolean isCredentialProblem(Throwable e) {
    if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
      String code = service.awsErrorDetails().errorCode();
      return code != null
          && CREDENTIAL_ERRORS.contains(code)
          && !(SIGNATURE_ERRORS.contains(code) && ClockSkewErrors.isClockSkewError(service));
    }
    return e instanceof SdkClientException
        && String.valueOf(e.getMessage()).contains("credentials");
  }

  static String errorType(SdkException e) {
    if (e instanceof AwsServiceException service
        && service.awsErrorDetails() != null
        && service.awsErrorDetails().errorCode() != null) {
      return service.awsErrorDetails().errorCode();
    }
    return e.getClass().getSimpleName();
  }
}
