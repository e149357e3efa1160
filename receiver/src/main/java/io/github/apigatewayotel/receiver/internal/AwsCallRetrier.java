package io.github.apigatewayotel.receiver.internal;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Calls AWS with bounded retries: throttling, 5xx and I/O failures are retried after an exponential
 * backoff with full jitter (never a tight loop), up to a maximum number of attempts; other errors
 * are thrown at once. The SDK's own retries are disabled so this is the only retry layer.
 */
public final class AwsCallRetrier {

  /** Error codes AWS uses for expired or invalid temporary credentials; retrying will not help. */
  static final Set<String> CREDENTIAL_ERRORS = Set.of("ExpiredToken", "ExpiredTokenException",
      "RequestExpired", "InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch");

  /** Sleeps; replaced in tests so backoff costs no wall time. */
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final int maxAttempts;
  private final Duration baseDelay;
  private final Duration maxDelay;
  private final Sleeper sleeper;
  private final ReceiverTelemetry telemetry;

  public AwsCallRetrier(int maxAttempts, Duration baseDelay, Duration maxDelay, Sleeper sleeper, ReceiverTelemetry telemetry) {
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
      return service.statusCode() >= 500;
    }
    return e instanceof SdkClientException && e.getCause() instanceof java.io.IOException;
  }

  /** Whether {@code e} says the credentials expired or are not valid. */
  public static boolean isCredentialProblem(Throwable e) {
    if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
      String code = service.awsErrorDetails().errorCode();
      // A code-less error (a proxy's 502 page) must not throw: Set.of rejects null lookups.
      return code != null && CREDENTIAL_ERRORS.contains(code);
    }
    return e instanceof SdkClientException && String.valueOf(e.getMessage()).contains("credentials");
  }

  static String errorType(SdkException e) {
    if (e instanceof AwsServiceException service && service.awsErrorDetails() != null
        && service.awsErrorDetails().errorCode() != null) {
      return service.awsErrorDetails().errorCode();
    }
    return e.getClass().getSimpleName();
  }
}
