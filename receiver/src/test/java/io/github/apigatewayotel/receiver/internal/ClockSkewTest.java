package io.github.apigatewayotel.receiver.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.apigatewayotel.state.internal.ClockSkewErrors;
import io.github.apigatewayotel.testing.aws.AwsFaultResponses;
import io.github.apigatewayotel.testing.aws.AwsRequest;
import io.github.apigatewayotel.testing.aws.AwsResponse;
import io.github.apigatewayotel.testing.aws.FakeAwsServer;
import io.github.apigatewayotel.testing.aws.cloudwatch.CloudWatchProtocol;
import io.github.apigatewayotel.testing.aws.cloudwatch.GetMetricDataResult;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.MeterProvider;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkGlobalTime;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;

/**
 * GetMetricData through the SDK's CloudWatch client (rpc-v2-cbor) against a CloudWatch whose clock
 * is 20 minutes off this host's: like AWS it refuses a signature more than 5 minutes from its clock
 * with a 403 SignatureDoesNotMatch "Signature expired" (or "not yet current"; awsQuery-compatible:
 * the code in {@code x-amzn-query-error}), and dates every answer from its own clock. The client
 * fails once, learns the offset from that answer, and signs every later call so that it is
 * accepted; through the receiver's retrier the first call already succeeds. A bad signature from a
 * right clock stays a credential problem and is not retried.
 */
class ClockSkewTest {

  static final String REGION = "eu-west-1";

  /** How far from its own clock AWS accepts a signature. */
  static final Duration AWS_SIGNATURE_WINDOW = Duration.ofMinutes(5);

  /**
   * com.sun's HttpServer writes its own {@code Date} on every answer, so the simulated server sends
   * the date of its clock in this header and {@link #withServerDate} puts it where AWS puts it.
   */
  static final String SERVER_DATE = "X-Simulated-Date";

  static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  FakeAwsServer aws;
  SdkHttpClient http;
  StaticCredentialsProvider credentials =
      StaticCredentialsProvider.create(
          AwsSessionCredentials.create("AKIDTEST", "secret", "session-token"));

  /** Per request: whether the simulated CloudWatch refused its signing time. */
  final List<Boolean> refusals = new CopyOnWriteArrayList<>();

  /** The simulated CloudWatch's clock minus this host's. */
  volatile Duration serverAhead = Duration.ZERO;

  /**
   * How the simulated CloudWatch words a refused signing time: code and message from the request
   * and times.
   */
  volatile BiFunction<AwsRequest, String[], AwsResponse> refusal = ClockSkewTest::signatureExpired;

  @BeforeEach
  void setUp() throws Exception {
    SdkGlobalTime.setGlobalTimeOffset(
        0); // the SDK starts each new client from the offset it learned last, JVM-wide
    aws = FakeAwsServer.start();
    aws.intercept(this::skewedCloudWatch);
    http = withServerDate(UrlConnectionHttpClient.builder().build());
  }

  @AfterEach
  void tearDown() {
    SdkGlobalTime.setGlobalTimeOffset(0);
    http.close();
    aws.close();
  }

  /**
   * A CloudWatch client as the receiver builds it: the SDK's retries off (the receiver's retrier
   * retries).
   */
  CloudWatchClient client(SdkHttpClient httpClient) {
    return CloudWatchClient.builder()
        .region(Region.of(REGION))
        .endpointOverride(aws.endpoint())
        .credentialsProvider(credentials)
        .httpClient(httpClient)
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  @Test
  void theClientFailsOnceThenSignsWithTheServersTime() {
    for (Duration ahead : List.of(Duration.ofMinutes(20), Duration.ofMinutes(-20))) {
      serverAhead = ahead;
      refusals.clear();
      SdkGlobalTime.setGlobalTimeOffset(0);
      try (CloudWatchClient client = client(http)) {
        assertFailsOnceThenSucceeds(new SdkMetricDataFetcher(client), ahead.toString());
      }
    }
  }

  @Test
  void theOtherClockSkewCodesAreRetriedAndNoCredentialProblem() {
    serverAhead = Duration.ofMinutes(20);
    for (String code : List.of("RequestTimeTooSkewed", "RequestExpired", "RequestInTheFuture")) {
      refusal =
          (request, times) ->
              AwsFaultResponses.queryError(
                  request, 400, "Sender", code, "Request timestamp " + times[0] + " out of range");
      refusals.clear();
      SdkGlobalTime.setGlobalTimeOffset(0);
      try (CloudWatchClient client = client(http)) {
        SdkMetricDataFetcher sdk = new SdkMetricDataFetcher(client);
        Throwable first = catchThrowable(() -> sdk.page(batch(), window(), null));
        assertThat(first).as(code).isInstanceOf(AwsServiceException.class);
        assertThat(((AwsServiceException) first).awsErrorDetails().errorCode())
            .as(code)
            .isEqualTo(code);
        assertThat(AwsCallRetrier.isTransient((SdkException) first)).as(code).isTrue();
        assertThat(AwsCallRetrier.isCredentialProblem(first)).as(code).isFalse();
        sdk.page(batch(), window(), null);
        assertThat(refusals).as(code).containsExactly(true, false);
      }
    }
  }

  @Test
  void throughTheRetrierTheFirstCallSucceedsWithOneRefusedAttempt() {
    serverAhead = Duration.ofMinutes(20);
    AwsCallRetrier retrier =
        new AwsCallRetrier(
            3,
            Duration.ofMillis(1),
            Duration.ofMillis(2),
            d -> {},
            new ReceiverTelemetry(MeterProvider.noop()));
    try (CloudWatchClient client = client(http)) {
      MetricDataFetcher sdk = new SdkMetricDataFetcher(client);
      MetricDataPage page = retrier.call("GetMetricData", () -> sdk.page(batch(), window(), null));
      assertThat(page.results()).isEmpty();
      assertThat(refusals).containsExactly(true, false);
    }
  }

  @Test
  void aBadSignatureFromARightClockIsACredentialProblemAndNotRetried() {
    serverAhead = Duration.ZERO;
    aws.clearInterceptors();
    List<String> signedAt = new CopyOnWriteArrayList<>();
    aws.intercept(
        r -> {
          signedAt.add(r.header("X-Amz-Date"));
          return Optional.of(
              dated(
                  AwsFaultResponses.queryError(
                      r,
                      403,
                      "Sender",
                      "SignatureDoesNotMatch",
                      "The request signature we calculated does not match the signature you provided."),
                  Instant.now()));
        });
    AwsCallRetrier retrier =
        new AwsCallRetrier(
            3,
            Duration.ofMillis(1),
            Duration.ofMillis(2),
            d -> {},
            new ReceiverTelemetry(MeterProvider.noop()));
    try (CloudWatchClient client = client(http)) {
      MetricDataFetcher sdk = new SdkMetricDataFetcher(client);
      for (int call = 0; call < 2; call++) {
        signedAt.clear();
        Throwable thrown =
            catchThrowable(
                () -> retrier.call("GetMetricData", () -> sdk.page(batch(), window(), null)));
        assertThat(thrown).isInstanceOf(AwsServiceException.class);
        assertThat(ClockSkewErrors.isClockSkewError((AwsServiceException) thrown)).isFalse();
        assertThat(AwsCallRetrier.isCredentialProblem(thrown)).isTrue();
        assertThat(signedAt).hasSize(1); // not retried
        // and the clock was left as it was: still signing with this host's time
        Instant signed = AMZ_DATE.parse(signedAt.get(0), Instant::from);
        assertThat(Duration.between(signed, Instant.now()).abs()).isLessThan(AWS_SIGNATURE_WINDOW);
      }
    }
  }

  @Test
  void anAnswerCutShortIsAnIoFailureAndRetried() {
    aws.clearInterceptors();
    aws.intercept(r -> Optional.of(emptyAnswer(r)));
    for (boolean fails : new boolean[] {true, false}) {
      try (CloudWatchClient client =
          client(withResponse(http, response -> cutInHalf(response, fails)))) {
        SdkMetricDataFetcher sdk = new SdkMetricDataFetcher(client);
        Throwable thrown = catchThrowable(() -> sdk.page(batch(), window(), null));
        assertThat(thrown).as("fails=" + fails).isInstanceOf(SdkClientException.class);
        assertThat(AwsCallRetrier.isTransient((SdkException) thrown))
            .as("fails=" + fails + ": " + thrown)
            .isTrue();
      }
    }
  }

  private void assertFailsOnceThenSucceeds(MetricDataFetcher transport, String what) {
    Throwable first = catchThrowable(() -> transport.page(batch(), window(), null));
    assertThat(first).as(what).isInstanceOf(AwsServiceException.class);
    AwsServiceException error = (AwsServiceException) first;
    assertThat(error.statusCode()).as(what).isEqualTo(403);
    assertThat(error.awsErrorDetails().errorCode()).as(what).isEqualTo("SignatureDoesNotMatch");
    assertThat(ClockSkewErrors.isClockSkewError(error)).as(what).isTrue();
    assertThat(AwsCallRetrier.isTransient(error)).as(what).isTrue();
    assertThat(AwsCallRetrier.isCredentialProblem(error))
        .as(what)
        .isFalse(); // renewing credentials would not help
    for (int i = 0; i < 3; i++) {
      assertThat(transport.page(batch(), window(), null).results()).as(what).isEmpty();
    }
    assertThat(refusals).as(what).containsExactly(true, false, false, false);
  }

  /** Refuses a signing time more than 5 min from its clock, as CloudWatch does; else answers. */
  private Optional<AwsResponse> skewedCloudWatch(AwsRequest request) {
    Instant server = Instant.now().plus(serverAhead);
    String date = request.header("X-Amz-Date");
    Instant signed = AMZ_DATE.parse(date, Instant::from);
    boolean refused = Duration.between(signed, server).abs().compareTo(AWS_SIGNATURE_WINDOW) > 0;
    refusals.add(refused);
    AwsResponse answer =
        refused
            ? refusal.apply(
                request,
                new String[] {date, AMZ_DATE.format(server), signed.isBefore(server) ? "-" : "+"})
            : emptyAnswer(request);
    return Optional.of(dated(answer, server));
  }

  /** An answer without data, in the request's protocol. */
  private static AwsResponse emptyAnswer(AwsRequest request) {
    return CloudWatchProtocol.of(request)
        .codec()
        .encode(new GetMetricDataResult(List.of(), List.of(), null));
  }

  /**
   * CloudWatch's words for a signing time out of its window ({@code times}: signed, server time,
   * side).
   */
  private static AwsResponse signatureExpired(AwsRequest request, String[] times) {
    Instant server = AMZ_DATE.parse(times[1], Instant::from);
    String message =
        "-".equals(times[2])
            ? "Signature expired: "
                + times[0]
                + " is now earlier than "
                + AMZ_DATE.format(server.minus(AWS_SIGNATURE_WINDOW))
                + " ("
                + times[1]
                + " - 5 min.)"
            : "Signature not yet current: "
                + times[0]
                + " is still later than "
                + AMZ_DATE.format(server.plus(AWS_SIGNATURE_WINDOW))
                + " ("
                + times[1]
                + " + 5 min.)";
    return AwsFaultResponses.queryError(request, 403, "Sender", "SignatureDoesNotMatch", message);
  }

  private static AwsResponse dated(AwsResponse answer, Instant server) {
    Map<String, String> headers = new java.util.HashMap<>(answer.headers());
    headers.put(
        SERVER_DATE, DateTimeFormatter.RFC_1123_DATE_TIME.format(server.atZone(ZoneOffset.UTC)));
    return new AwsResponse(answer.status(), answer.contentType(), answer.body(), headers);
  }

  /**
   * The real HTTP client; each answer's Date is the simulated server's (see {@link #SERVER_DATE}).
   */
  static SdkHttpClient withServerDate(SdkHttpClient real) {
    return withResponse(
        real,
        response -> {
          Optional<String> date = response.httpResponse().firstMatchingHeader(SERVER_DATE);
          return date.isEmpty()
              ? response
              : HttpExecuteResponse.builder()
                  .response(
                      response.httpResponse().toBuilder().putHeader("Date", date.get()).build())
                  .responseBody(response.responseBody().orElse(null))
                  .build();
        });
  }

  /**
   * The answer as if the connection had closed halfway through its body, its Content-Length
   * unchanged: the stream then ends early ({@code fails} false) or throws, as HTTP clients
   * variously do.
   */
  static HttpExecuteResponse cutInHalf(HttpExecuteResponse response, boolean fails) {
    byte[] body;
    try (InputStream in = response.responseBody().orElseThrow()) {
      body = in.readAllBytes();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    int cut = body.length / 2;
    InputStream half =
        new InputStream() {
          int position;

          @Override
          public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            if (position == cut) {
              if (fails) {
                throw new java.io.EOFException(
                    "connection closed after " + cut + " of " + body.length + " bytes");
              }
              return -1;
            }
            int n = Math.min(len, cut - position);
            System.arraycopy(body, position, b, off, n);
            position += n;
            return n;
          }
        };
    return HttpExecuteResponse.builder()
        .response(response.httpResponse())
        .responseBody(AbortableInputStream.create(half))
        .build();
  }

  static SdkHttpClient withResponse(SdkHttpClient real, UnaryOperator<HttpExecuteResponse> change) {
    return new SdkHttpClient() {
      @Override
      public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        ExecutableHttpRequest inner = real.prepareRequest(request);
        return new ExecutableHttpRequest() {
          @Override
          public HttpExecuteResponse call() throws IOException {
            return change.apply(inner.call());
          }

          @Override
          public void abort() {
            inner.abort();
          }
        };
      }

      @Override
      public void close() {
        real.close();
      }
    };
  }

  static List<PlannedQuery> batch() {
    MonitoredSeries series =
        new MonitoredSeries(
            REGION,
            "Count",
            List.of(Dimension.builder().name("ApiId").value("abc").build()),
            "abc",
            Attributes.empty(),
            MetricCatalog.descriptors(ApiType.HTTP, "Count"));
    return List.of(new PlannedQuery(series, series.descriptors().get(0)));
  }

  static CollectionWindow window() {
    return CollectionWindow.at(
        Instant.parse("2026-11-24T10:00:30Z"),
        Duration.ofMinutes(1),
        Duration.ofMinutes(3),
        Duration.ofMinutes(10));
  }
}
