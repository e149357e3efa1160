package io.github.apigatewayotel.receiver.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.opentelemetry.api.metrics.MeterProvider;
import java.io.EOFException;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.RetryableException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;

/**
 * What the receiver's retrier retries, held to what the SDK's own standard retry strategy (the one
 * it replaces: the SDK's retries are off) decides for the same exception; credential problems apart
 * from clock skew; and the backoff's bounds.
 */
class AwsCallRetrierTest {

  static final int MAX_ATTEMPTS = 4;
  final ReceiverTelemetry telemetry = new ReceiverTelemetry(MeterProvider.noop());

  @Test
  void retriesWhatTheSdksStandardStrategyRetries() {
    Map<String, SdkException> retried = new LinkedHashMap<>();
    for (String code :
        List.of(
            "Throttling",
            "RequestLimitExceeded",
            "TooManyRequestsException",
            "RequestTimeout",
            "RequestTimeoutException",
            "PriorRequestNotComplete",
            "InternalError",
            "RequestTimeTooSkewed",
            "RequestExpired",
            "RequestInTheFuture")) {
      retried.put(code, service(400, code, null));
    }
    retried.put("503 ServiceUnavailable", service(503, "ServiceUnavailable", null));
    retried.put("500 InternalFailure", service(500, "InternalFailure", null));
    retried.put("502 without a code", service(502, null, null));
    retried.put(
        "SignatureDoesNotMatch from a clock 20 min slow",
        service(403, "SignatureDoesNotMatch", Instant.now().plus(Duration.ofMinutes(20))));
    retried.put(
        "InvalidSignatureException from a clock 20 min fast",
        service(400, "InvalidSignatureException", Instant.now().minus(Duration.ofMinutes(20))));
    retried.put("attempt timeout", ApiCallAttemptTimeoutException.create(30_000));
    retried.put("connection reset", io(new SocketException("Connection reset")));
    retried.put("read timeout", io(new SocketTimeoutException("Read timed out")));
    retried.put(
        "body cut short, unchecked",
        SdkClientException.builder()
            .message("Unable to unmarshall response")
            .cause(new UncheckedIOException(new EOFException()))
            .build());
    retried.put("RetryableException", RetryableException.create("retry me"));

    Map<String, SdkException> notRetried = new LinkedHashMap<>();
    for (String code :
        List.of(
            "AccessDenied",
            "ValidationError",
            "InvalidParameterValue",
            "ExpiredToken",
            "InvalidClientTokenId")) {
      notRetried.put(code, service(400, code, null));
    }
    notRetried.put(
        "SignatureDoesNotMatch from a right clock",
        service(403, "SignatureDoesNotMatch", Instant.now()));
    notRetried.put(
        "SignatureDoesNotMatch without a Date", service(403, "SignatureDoesNotMatch", null));
    notRetried.put(
        "unreadable answer",
        SdkClientException.builder()
            .message("Unable to unmarshall GetMetricData response")
            .cause(new IllegalStateException("not xml"))
            .build());
    notRetried.put("total call timeout", ApiCallTimeoutException.create(60_000));

    List<String> disagreements = new ArrayList<>();
    retried.forEach(
        (what, e) -> {
          assertThat(attempts(e)).as(what).isEqualTo(MAX_ATTEMPTS);
          if (!sdkStandardStrategyRetries(e)) {
            disagreements.add(what + " (the SDK does not retry it)");
          }
        });
    notRetried.forEach(
        (what, e) -> {
          assertThat(attempts(e)).as(what).isEqualTo(1);
          if (sdkStandardStrategyRetries(e)) {
            disagreements.add(what + " (the SDK retries it)");
          }
        });
    assertThat(disagreements).isEmpty();
  }

  @Test
  void aClockSkewErrorIsNotACredentialProblemButABadSignatureFromARightClockIs() {
    assertThat(
            AwsCallRetrier.isCredentialProblem(
                service(403, "SignatureDoesNotMatch", Instant.now().plus(Duration.ofMinutes(20)))))
        .isFalse();
    assertThat(AwsCallRetrier.isCredentialProblem(service(400, "RequestExpired", Instant.now())))
        .isFalse();
    assertThat(AwsCallRetrier.isCredentialProblem(service(400, "RequestTimeTooSkewed", null)))
        .isFalse();
    assertThat(
            AwsCallRetrier.isCredentialProblem(
                service(403, "SignatureDoesNotMatch", Instant.now())))
        .isTrue();
    assertThat(AwsCallRetrier.isCredentialProblem(service(403, "SignatureDoesNotMatch", null)))
        .isTrue();
    assertThat(
            AwsCallRetrier.isCredentialProblem(
                service(403, "ExpiredToken", Instant.now().plus(Duration.ofHours(1)))))
        .isTrue();
    assertThat(AwsCallRetrier.isCredentialProblem(service(502, null, null))).isFalse();
    assertThat(AwsCallRetrier.isCredentialProblem(service(400, "Throttling", null))).isFalse();
  }

  @Test
  void eachBackoffIsBetweenHalfItsCeilingAndTheCeiling() {
    List<Duration> sleeps = new ArrayList<>();
    AwsCallRetrier retrier =
        new AwsCallRetrier(
            6, Duration.ofMillis(100), Duration.ofMillis(1_000), sleeps::add, telemetry);
    for (int run = 0; run < 20; run++) {
      sleeps.clear();
      Throwable failure =
          catchThrowable(
              () ->
                  retrier.call(
                      "op",
                      () -> {
                        throw service(500, "InternalFailure", null);
                      }));
      assertThat(failure).isNotNull();
      assertThat(sleeps).hasSize(5);
      long[] ceilings = {100, 200, 400, 800, 1_000};
      for (int i = 0; i < ceilings.length; i++) {
        assertThat(sleeps.get(i))
            .as("sleep " + i)
            .isBetween(Duration.ofMillis(ceilings[i] / 2), Duration.ofMillis(ceilings[i]));
      }
    }
  }

  private int attempts(SdkException error) {
    AtomicInteger attempts = new AtomicInteger();
    AwsCallRetrier retrier =
        new AwsCallRetrier(
            MAX_ATTEMPTS, Duration.ofMillis(1), Duration.ofMillis(2), d -> {}, telemetry);
    Throwable thrown =
        catchThrowable(
            () ->
                retrier.call(
                    "op",
                    () -> {
                      attempts.incrementAndGet();
                      throw error;
                    }));
    assertThat(thrown).isSameAs(error);
    return attempts.get();
  }

  /**
   * Whether the SDK's standard strategy (a fresh one: a full retry quota) would retry {@code error}
   * once.
   */
  private static boolean sdkStandardStrategyRetries(SdkException error) {
    RetryStrategy standard = AwsRetryStrategy.standardRetryStrategy();
    var token = standard.acquireInitialToken(AcquireInitialTokenRequest.create("test")).token();
    try {
      standard.refreshRetryToken(
          RefreshRetryTokenRequest.builder().token(token).failure(error).build());
      return true;
    } catch (TokenAcquisitionFailedException e) {
      return false;
    }
  }

  /**
   * An AWS error answer as the SDK's clients build it: with the answer's Date ({@code serverTime},
   * or none) and the clock offset the request was signed with (none here).
   */
  static AwsServiceException service(int status, String code, Instant serverTime) {
    SdkHttpResponse.Builder response = SdkHttpResponse.builder().statusCode(status);
    if (serverTime != null) {
      response.putHeader(
          "Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(serverTime.atZone(ZoneOffset.UTC)));
    }
    return AwsServiceException.builder()
        .statusCode(status)
        .message(code)
        .clockSkew(Duration.ZERO)
        .awsErrorDetails(
            AwsErrorDetails.builder()
                .errorCode(code)
                .serviceName("CloudWatch")
                .sdkHttpResponse(response.build())
                .build())
        .build();
  }

  private static SdkClientException io(Exception cause) {
    return SdkClientException.builder()
        .message("Unable to execute HTTP request: " + cause.getMessage())
        .cause(cause)
        .build();
  }
}
