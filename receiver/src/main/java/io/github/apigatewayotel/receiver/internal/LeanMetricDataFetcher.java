package io.github.apigatewayotel.receiver.internal;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.util.VersionInfo;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.endpoints.CloudWatchEndpointProvider;

/**
 * GetMetricData over the same wire protocol as the SDK's CloudWatch client (awsQuery: a signed
 * {@code POST /} of a form, an XML answer), built from the SDK's own parts: its endpoint rules,
 * credentials provider and HTTP client. What it leaves out is the SDK's generic per-field
 * marshalling and DOM unmarshalling, which cost most of a large poll's CPU: the form is written
 * straight into bytes ({@link GetMetricDataForm}) and the answer read in one streaming pass
 * ({@link GetMetricDataResponseReader}). SigV4 is computed by {@link SigV4}, to the same
 * headers and signature as the SDK's signer, so the payload hash can reuse the digest of the part
 * of the body that every poll repeats. Errors become the SDK's own exceptions
 * ({@link CloudWatchQueryErrors}). Like the SDK's client it signs with its clock corrected by the
 * offset a clock-skew error revealed ({@link SigningClock}), so a host whose clock is minutes off
 * fails one call, and the retry succeeds.
 */
public final class LeanMetricDataFetcher implements MetricDataFetcher {

  /** SigV4 signing name of CloudWatch. */
  static final String SIGNING_NAME = "monitoring";
  /**
   * Largest answer read: a call returns at most 100,800 datapoints (~70 bytes each) plus 500 query
   * headers, about 8 MiB; anything far beyond is not a GetMetricData answer and is refused.
   */
  static final int MAX_RESPONSE_BYTES = 64 << 20;
  /** Typical answers are ~0.1 MiB; a thread keeps its buffer up to this size for the next call. */
  private static final int MAX_REUSED_BUFFER = 8 << 20;
  private static final String CONTENT_TYPE = "application/x-www-form-urlencoded; charset=utf-8";
  /** The SDK's retries are off for every receiver client: each call is its only attempt. */
  private static final String SDK_REQUEST = "attempt=1; max=1";

  private final SdkHttpClient httpClient;
  private final AwsCredentialsProvider credentials;
  private final String region;
  private final URI endpoint;
  private final String path;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
  private final GetMetricDataForm form;
  private final String userAgent = userAgent();
  /** One per fetcher, as the SDK keeps one per client: every region's endpoint has the same clock. */
  private final SigningClock signingClock = new SigningClock();
  /** Answers are read whole, then parsed, on the calling thread: one buffer per thread serves every call. */
  private final ThreadLocal<byte[]> responseBuffers = new ThreadLocal<>();

  /**
   * @param endpointOverride the receiver's endpoint override, or null for CloudWatch's endpoint in
   *     {@code region} as the SDK's endpoint rules resolve it
   */
  public LeanMetricDataFetcher(SdkHttpClient httpClient, AwsCredentialsProvider credentials, String region,
      URI endpointOverride) {
    this(httpClient, credentials, region, endpointOverride, false);
  }

  /**
   * As above; with {@code accountIdPerQuery} each query names its series' account ({@code
   * MetricDataQueries.member.N.AccountId}), as a monitoring account reads linked accounts' series.
   */
  public LeanMetricDataFetcher(SdkHttpClient httpClient, AwsCredentialsProvider credentials, String region,
      URI endpointOverride, boolean accountIdPerQuery) {
    this.form = new GetMetricDataForm(accountIdPerQuery);
    this.httpClient = httpClient;
    this.credentials = credentials;
    this.region = region;
    this.endpoint = CloudWatchEndpointProvider.defaultProvider()
        .resolveEndpoint(p -> p.region(Region.of(region)).endpoint(endpointOverride == null ? null : endpointOverride.toString()))
        .join().url();
    String base = endpoint.getRawPath() == null ? "" : endpoint.getRawPath();
    this.path = base.endsWith("/") ? base : base + "/";
  }

  URI endpoint() {
    return endpoint;
  }

  @Override
  public MetricDataPage page(List<PlannedQuery> batch, CollectionWindow window, String nextToken) {
    GetMetricDataForm.Body body = form.write(batch, window, nextToken);
    ContentStreamProvider payload = body::stream;
    Duration offset = signingClock.offset();
    SdkHttpRequest signed = sign(body, SigningClock.now(offset));
    HttpExecuteResponse response;
    ResponseBytes answer;
    try {
      response = httpClient.prepareRequest(HttpExecuteRequest.builder().request(signed).contentStreamProvider(payload).build())
          .call();
      answer = readBounded(response);
    } catch (IOException e) { // as the SDK words it; the retrier retries I/O failures
      throw SdkClientException.builder().message("Unable to execute HTTP request: " + e.getMessage()).cause(e).build();
    }
    int status = response.httpResponse().statusCode();
    if (status < 200 || status >= 300) {
      AwsServiceException error = CloudWatchQueryErrors.exception(response.httpResponse(), answer.bytes(), answer.length(), offset);
      signingClock.learnFrom(error);
      throw error;
    }
    return GetMetricDataResponseReader.read(answer.bytes(), answer.length());
  }

  /**
   * The request as the SDK's client sends it, signed with SigV4 including the payload's hash: by
   * {@link SigV4} with the form's cached hash of the constant part, or, for an endpoint with a path
   * of its own (whose canonical form {@link SigV4} does not write), by the SDK's signer.
   */
  SdkHttpRequest sign(GetMetricDataForm.Body body, Instant now) {
    return sign(unsigned(body), body, now);
  }

  SdkHttpRequest sign(SdkHttpFullRequest request, GetMetricDataForm.Body body, Instant now) {
    if (!"/".equals(path) || !request.rawQueryParameters().isEmpty()) {
      return signWithSdk(request, body, now);
    }
    return SigV4.sign(request, form.payloadSha256(body), credentials.resolveCredentials(), region, SIGNING_NAME, now);
  }

  /** The request signed by the SDK's {@link AwsV4HttpSigner}, as the SDK's CloudWatch client signs it. */
  SdkHttpRequest signWithSdk(SdkHttpFullRequest request, GetMetricDataForm.Body body, Instant now) {
    AwsCredentials identity = credentials.resolveCredentials();
    ContentStreamProvider payload = body::stream;
    return signer.sign(r -> r.identity(identity).request(request).payload(payload)
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SIGNING_NAME)
        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(now, ZoneOffset.UTC))
        // the SDK's client hashes the payload over HTTPS too (the signer alone would not)
        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true)).request();
  }

  /** The request before signing, as the SDK's client builds it (a fresh invocation id each time). */
  SdkHttpFullRequest unsigned(GetMetricDataForm.Body body) {
    return SdkHttpFullRequest.builder()
        .method(SdkHttpMethod.POST)
        .uri(endpoint)
        .encodedPath(path)
        .putHeader("Content-Type", CONTENT_TYPE)
        .putHeader("Content-Length", Integer.toString(body.length()))
        .putHeader("amz-sdk-invocation-id", UUID.randomUUID().toString())
        .putHeader("amz-sdk-request", SDK_REQUEST)
        .putHeader("User-Agent", userAgent)
        .build();
  }

  private record ResponseBytes(byte[] bytes, int length) {}

  /** The answer's bytes, in the calling thread's reused buffer when it fits. */
  private ResponseBytes readBounded(HttpExecuteResponse response) throws IOException {
    if (response.responseBody().isEmpty()) {
      return new ResponseBytes(new byte[0], 0);
    }
    try (AbortableInputStream in = response.responseBody().get()) {
      long declared = response.httpResponse().firstMatchingHeader("Content-Length").map(Long::parseLong).orElse(-1L);
      if (declared > MAX_RESPONSE_BYTES) {
        in.abort();
        throw tooLarge(declared);
      }
      byte[] buffer = responseBuffers.get();
      if (buffer == null || buffer.length < declared + 1) {
        buffer = new byte[declared >= 0 ? (int) declared + 1 : 64 * 1024];
      }
      int n = 0;
      while (true) {
        if (n == buffer.length) {
          if (n > MAX_RESPONSE_BYTES) {
            in.abort();
            throw tooLarge(n);
          }
          buffer = Arrays.copyOf(buffer, Math.min(buffer.length * 2, MAX_RESPONSE_BYTES + 1));
        }
        int read = in.read(buffer, n, buffer.length - n);
        if (read < 0) {
          break;
        }
        n += read;
      }
      if (n < declared) { // the connection ended early: an I/O failure, retried, not an unreadable answer
        throw new IOException("answer ended after " + n + " of its " + declared + " bytes");
      }
      if (buffer.length <= MAX_REUSED_BUFFER) {
        responseBuffers.set(buffer);
      }
      return new ResponseBytes(buffer, n);
    }
  }

  private static SdkClientException tooLarge(long bytes) {
    return SdkClientException.create("GetMetricData answer of " + bytes + " bytes refused: larger than "
        + MAX_RESPONSE_BYTES + " bytes, which no GetMetricData answer reaches");
  }

  /** In the SDK's format, naming this transport, so both are told apart in access logs. */
  private static String userAgent() {
    String version = VersionInfo.SDK_VERSION;
    String apiVersion = version.indexOf('.', version.indexOf('.') + 1) > 0
        ? version.substring(0, version.indexOf('.', version.indexOf('.') + 1)) + ".x" : version;
    return String.format(Locale.ROOT, "aws-sdk-java/%s md/io#sync md/http#UrlConnection ua/2.1 api/CloudWatch#%s os/%s#%s lang/java#%s md/apigateway-otel#lean-get-metric-data",
        version, apiVersion, System.getProperty("os.name", "unknown").replace(' ', '_'),
        System.getProperty("os.version", "unknown").replace(' ', '_'), System.getProperty("java.version", "unknown"));
  }
}
