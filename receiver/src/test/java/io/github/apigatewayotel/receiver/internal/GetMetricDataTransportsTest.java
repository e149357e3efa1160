package io.github.apigatewayotel.receiver.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.apigatewayotel.testing.aws.AwsRequest;
import io.github.apigatewayotel.testing.aws.AwsResponse;
import io.github.apigatewayotel.testing.aws.CloudWatchSimulator;
import io.github.apigatewayotel.testing.aws.FakeAwsServer;
import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import io.opentelemetry.api.common.Attributes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;

/**
 * The lean GetMetricData transport against the SDK's CloudWatch client, both talking to the same
 * simulated CloudWatch over loopback: same form parameters on the wire, same answers decoded, same
 * exceptions (and so the same retry classification) for every error, clean failures for answers
 * that are not GetMetricData XML.
 */
class GetMetricDataTransportsTest {

  static final String REGION = "eu-west-1";
  static final Instant NOW = Instant.parse("2026-11-24T10:00:30Z");

  SimulatedAccount account;
  FakeAwsServer aws;
  CloudWatchSimulator cloudWatch;
  SdkHttpClient http;
  CloudWatchClient sdkClient;
  SdkMetricDataFetcher sdk;
  LeanMetricDataFetcher lean;
  final List<AwsRequest> requests = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    account = SimulatedAccount.demo("123456789012", REGION, 42);
    account.setClock(() -> NOW);
    aws = FakeAwsServer.start();
    cloudWatch = new CloudWatchSimulator(account);
    aws.register(cloudWatch);
    aws.intercept(r -> {
      requests.add(r);
      return Optional.empty();
    });
    http = UrlConnectionHttpClient.builder().build();
    StaticCredentialsProvider credentials =
        StaticCredentialsProvider.create(AwsSessionCredentials.create("AKIDTEST", "secret", "session-token"));
    sdkClient = CloudWatchClient.builder().region(Region.of(REGION)).endpointOverride(aws.endpoint())
        .credentialsProvider(credentials).httpClient(http)
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    sdk = new SdkMetricDataFetcher(sdkClient);
    lean = new LeanMetricDataFetcher(http, credentials, REGION, aws.endpoint());
  }

  @AfterEach
  void tearDown() {
    sdkClient.close();
    http.close();
    aws.close();
  }

  /** Every series of the demo account with the contract's statistics, plus series with awkward values. */
  QueryPlan plan() {
    List<MonitoredSeries> series = new ArrayList<>();
    for (SimulatedAccount.Series s : account.series(REGION)) {
      ApiType type = ApiType.valueOf(account.api(s.apiId()).type().name());
      List<Dimension> dimensions = new ArrayList<>();
      s.dimensions().forEach((k, v) -> dimensions.add(Dimension.builder().name(k).value(v).build()));
      series.add(new MonitoredSeries(REGION, s.metricName(), dimensions, s.dimensions().toString(), Attributes.empty(),
          MetricCatalog.descriptors(type, s.metricName())));
    }
    List<Dimension> awkward = List.of(
        Dimension.builder().name("ApiName").value("a b&c=d~e*f+g%h/i?j#k'l\"m<n>o").build(),
        Dimension.builder().name("Method").value("ANY").build(),
        Dimension.builder().name("Resource").value("/주문/{id+}/ü€😀\t$").build(),
        Dimension.builder().name("Stage").value("$default").build());
    series.add(new MonitoredSeries(REGION, "Latency", awkward, "awkward", Attributes.empty(),
        MetricCatalog.descriptors(ApiType.REST, "Latency")));
    QueryPlan plan = QueryPlan.of(series, QueryPlan.empty(), Map.of());
    assertThat(plan.size()).isGreaterThan(QueryPlan.MAX_QUERIES_PER_CALL); // several batches, one partial
    return plan;
  }

  static CollectionWindow window() {
    return CollectionWindow.at(NOW, Duration.ofMinutes(1), Duration.ofMinutes(3), Duration.ofMinutes(10));
  }

  @Test
  void bothTransportsSendTheSameFormAndHeaders() {
    QueryPlan plan = plan();
    aws.intercept(r -> Optional.of(AwsResponse.xml(200, "<GetMetricDataResponse><GetMetricDataResult><MetricDataResults/>"
        + "</GetMetricDataResult></GetMetricDataResponse>")));
    for (int b = 0; b < plan.calls(); b++) {
      for (String token : new String[] {null, "tok/+= &ü"}) {
        requests.clear();
        sdk.page(plan.batch(b), window(), token);
        lean.page(plan.batch(b), window(), token);
        assertThat(requests).hasSize(2);
        AwsRequest viaSdk = requests.get(0);
        AwsRequest viaLean = requests.get(1);
        // same parameters, same values, same order; indeed the same bytes
        assertThat(List.copyOf(viaLean.formFields().entrySet())).isEqualTo(List.copyOf(viaSdk.formFields().entrySet()));
        assertThat(viaLean.bodyText()).isEqualTo(viaSdk.bodyText());
        assertThat(viaLean.method()).isEqualTo("POST");
        assertThat(viaLean.path()).isEqualTo(viaSdk.path());
        assertThat(headerNames(viaLean)).isEqualTo(headerNames(viaSdk));
        for (String same : List.of("Content-Type", "Content-Length", "amz-sdk-request", "X-Amz-Security-Token", "Host")) {
          assertThat(viaLean.header(same)).as(same).isEqualTo(viaSdk.header(same));
        }
        assertThat(signedHeaders(viaLean)).isEqualTo(signedHeaders(viaSdk));
        assertThat(viaLean.service()).isEqualTo("monitoring");
        assertThat(viaLean.region()).isEqualTo(viaSdk.region());
        assertThat(viaLean.accessKeyId()).isEqualTo(viaSdk.accessKeyId());
        assertThat(viaLean.header("User-Agent")).startsWith("aws-sdk-java/").contains("api/CloudWatch#");
      }
    }
    assertThat(requests.get(0).formFields()).containsEntry("NextToken", "tok/+= &ü")
        .containsEntry("ScanBy", "TimestampAscending");
  }

  @Test
  void forAMonitoringAccountBothTransportsSendEachQuerysAccountIdTheSameWay() {
    List<MonitoredSeries> series = new ArrayList<>();
    for (PlannedQuery query : plan().queries()) {
      MonitoredSeries s = query.series;
      if (series.isEmpty() || series.get(series.size() - 1).dimensionsKey() != s.dimensionsKey()
          || !series.get(series.size() - 1).metricName().equals(s.metricName())) {
        // alternate owners, and leave one series without (the monitoring account's own, as listed without one)
        String owner = series.size() == 1 ? null : series.size() % 2 == 0 ? "111111111111" : "222222222222";
        series.add(new MonitoredSeries(s.region(), s.metricName(), s.dimensions(), s.dimensionsKey(), s.attributes(),
            s.descriptors(), owner));
      }
    }
    QueryPlan plan = QueryPlan.of(series, QueryPlan.empty(), Map.of());
    SdkMetricDataFetcher linkedSdk = new SdkMetricDataFetcher(sdkClient, true);
    LeanMetricDataFetcher linkedLean = new LeanMetricDataFetcher(http,
        StaticCredentialsProvider.create(AwsSessionCredentials.create("AKIDTEST", "secret", "session-token")), REGION,
        aws.endpoint(), true);
    aws.intercept(r -> Optional.of(AwsResponse.xml(200, "<GetMetricDataResponse><GetMetricDataResult><MetricDataResults/>"
        + "</GetMetricDataResult></GetMetricDataResponse>")));
    for (int b = 0; b < plan.calls(); b++) {
      requests.clear();
      linkedSdk.page(plan.batch(b), window(), null);
      linkedLean.page(plan.batch(b), window(), null);
      assertThat(requests.get(1).bodyText()).isEqualTo(requests.get(0).bodyText()); // the same bytes
    }
    requests.clear();
    linkedLean.page(plan.batch(0), window(), null);
    Map<String, String> form = requests.get(0).formFields();
    assertThat(form).containsEntry("MetricDataQueries.member.1.AccountId", "111111111111")
        .doesNotContainKey("MetricDataQueries.member." + (plan.batch(0).indexOf(firstOf(plan, null)) + 1) + ".AccountId")
        .containsValue("222222222222");
    // a receiver of one account's own CloudWatch never sends one
    requests.clear();
    lean.page(plan.batch(0), window(), null);
    assertThat(requests.get(0).formFields().keySet()).noneMatch(key -> key.endsWith(".AccountId"));
  }

  private static PlannedQuery firstOf(QueryPlan plan, String account) {
    return plan.batch(0).stream().filter(q -> java.util.Objects.equals(q.series.account(), account)).findFirst().orElseThrow();
  }

  @Test
  void bothTransportsDecodeTheSameAnswersPageByPage() {
    cloudWatch.setDatapointsPerCall(700); // PartialData and NextToken within a batch
    cloudWatch.failQueriesOf("5XXError"); // StatusCode InternalError with messages
    QueryPlan plan = plan();
    int pages = 0;
    long datapoints = 0;
    for (int b = 0; b < plan.calls(); b++) {
      String sdkToken = null;
      String leanToken = null;
      do {
        MetricDataPage viaSdk = sdk.page(plan.batch(b), window(), sdkToken);
        MetricDataPage viaLean = lean.page(plan.batch(b), window(), leanToken);
        assertSamePage(viaLean, viaSdk);
        pages++;
        for (MetricDataPage.QueryResult r : viaLean.results()) {
          datapoints += r.timestamps().length;
        }
        sdkToken = viaSdk.nextToken();
        leanToken = viaLean.nextToken();
      } while (sdkToken != null && pages < 1_000);
    }
    assertThat(pages).isGreaterThan(plan.calls()); // NextToken was followed
    assertThat(datapoints).isGreaterThan(plan.size()); // several periods per query
  }

  /** Values whose parsing is easy to get subtly wrong: rounding, exponents, signs, limits. */
  static final List<String> NUMBERS = List.of("0", "0.0", "-0.0", "1", "1.", ".5", "12.5", "0.1", "0.30000000000000004",
      "123456789012345", "1234567890123456", "9007199254740993", "0.000123", "1e22", "1e23", "1E-22", "2.5e-3",
      "4.9e-324", "1.7976931348623157e308", "1e400", "-3.4028235e38", "100000000000000000000000", "NaN", "Infinity",
      "-Infinity", "7.0E-10", "0.1e1", "000123.4500");

  @Test
  void handWrittenAnswersWithEntitiesExponentsAndOtherTimeFormatsDecodeAlike() {
    String answer = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- a comment -->\n"
        + "<GetMetricDataResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\">\n"
        + "  <GetMetricDataResult>\n    <MetricDataResults>\n"
        + "      <member>\n        <Id>q1</Id>\n        <Label>L &amp; &lt;x&gt; &#233;&#x4E2D;</Label>\n"
        + "        <Timestamps>\n          <member>2026-11-24T09:52:00Z</member>\n"
        + "          <member>2026-11-24T09:53:00.250Z</member>\n          <member>2026-11-24T10:54:00+01:00</member>\n"
        + "        </Timestamps>\n        <Values>\n          <member>1.5E-4</member>\n          <member>-2.25e+3</member>\n"
        + "          <member>42</member>\n        </Values>\n        <StatusCode>PartialData</StatusCode>\n"
        + "        <Messages><member><Code>MaxQueryTimeRangeExceed</Code><Value>a &quot;b&apos; <![CDATA[<c>]]></Value></member></Messages>\n"
        + "      </member>\n"
        + "      <member><Id>q0</Id><Timestamps/><Values/><StatusCode>Forbidden</StatusCode></member>\n"
        + "      <member><Id>q2</Id><Timestamps>" + "<member>2026-11-24T09:52:00Z</member>".repeat(NUMBERS.size())
        + "</Timestamps><Values>" + String.join("", NUMBERS.stream().map(v -> "<member>" + v + "</member>").toList())
        + "</Values><StatusCode>Complete</StatusCode></member>\n"
        + "      <member><Id>other</Id><Timestamps><member>2026-11-24T09:52:00Z</member></Timestamps>"
        + "<Values><member>7</member></Values><StatusCode>Complete</StatusCode></member>\n"
        + "    </MetricDataResults>\n    <NextToken>t&amp;k</NextToken>\n"
        + "    <Messages><member><Code>Warn</Code><Value>careful</Value></member></Messages>\n"
        + "  </GetMetricDataResult>\n  <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>\n"
        + "</GetMetricDataResponse>\n";
    aws.intercept(r -> Optional.of(AwsResponse.xml(200, answer)));
    List<PlannedQuery> batch = plan().batch(0);
    MetricDataPage viaLean = lean.page(batch, window(), null);
    assertSamePage(viaLean, sdk.page(batch, window(), null));
    MetricDataPage.QueryResult first = viaLean.results().get(0);
    assertThat(first.index()).isEqualTo(1);
    assertThat(first.timestamps()).containsExactly(Instant.parse("2026-11-24T09:52:00Z").getEpochSecond(),
        Instant.parse("2026-11-24T09:53:00Z").getEpochSecond(), Instant.parse("2026-11-24T09:54:00Z").getEpochSecond());
    assertThat(first.values()).containsExactly(1.5E-4, -2250.0, 42.0);
    assertThat(first.messages()).containsExactly(new MetricDataPage.Message("MaxQueryTimeRangeExceed", "a \"b' <c>"));
    double[] numbers = viaLean.results().get(2).values();
    for (int i = 0; i < NUMBERS.size(); i++) {
      assertThat(Double.doubleToRawLongBits(numbers[i])).as(NUMBERS.get(i))
          .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(NUMBERS.get(i))));
    }
    assertThat(viaLean.results().get(3).index()).isEqualTo(-1);
    assertThat(viaLean.nextToken()).isEqualTo("t&k");
  }

  @Test
  void everyErrorAnswerGivesTheSdksExceptionAndRetryClassification() {
    List<AwsResponse> answers = new ArrayList<>();
    for (String code : List.of("Throttling", "ThrottlingException", "RequestLimitExceeded", "ExpiredToken",
        "ExpiredTokenException", "InvalidClientTokenId", "SignatureDoesNotMatch", "AccessDenied", "InvalidNextToken",
        "InvalidParameterValue", "InvalidParameterCombination", "MissingParameter", "LimitExceeded", "InvalidFormat",
        "ResourceNotFound", "ResourceNotFoundException", "InvalidParameterInput", "ConflictException",
        "ConcurrentModificationException", "ValidationError")) {
      answers.add(AwsResponse.queryError(400, "Sender", code, "message of " + code + " &amp; more"));
    }
    answers.add(AwsResponse.queryError(403, "Sender", "ExpiredToken", "The security token included in the request is expired"));
    answers.add(AwsResponse.queryError(500, "Receiver", "InternalServiceError", "oops"));
    answers.add(AwsResponse.queryError(503, "Receiver", "ServiceUnavailable", "later"));
    answers.add(AwsResponse.queryError(429, "Sender", "TooManyRequests", "slow down"));
    answers.add(new AwsResponse(502, "text/html", "<html><body>Bad Gateway".getBytes(StandardCharsets.UTF_8), Map.of()));
    answers.add(new AwsResponse(500, "text/xml", new byte[0], Map.of()));
    answers.add(AwsResponse.xml(400, "<ErrorResponse><Error><Code>Throttling</Code><Message>cut"));
    answers.add(AwsResponse.xml(400, "<Response><Errors><Error><Code>Throttling</Code></Error></Errors><RequestID>x</RequestID></Response>"));
    List<PlannedQuery> batch = plan().batch(0);
    for (AwsResponse answer : answers) {
      aws.clearInterceptors();
      aws.intercept(r -> Optional.of(answer));
      Throwable viaSdk = catchThrowable(() -> sdk.page(batch, window(), null));
      Throwable viaLean = catchThrowable(() -> lean.page(batch, window(), "t"));
      String what = answer.status() + " " + new String(answer.body(), StandardCharsets.UTF_8);
      assertThat(viaSdk).as(what).isInstanceOf(AwsServiceException.class);
      assertThat(viaLean).as(what).isExactlyInstanceOf(viaSdk.getClass());
      AwsServiceException s = (AwsServiceException) viaSdk;
      AwsServiceException l = (AwsServiceException) viaLean;
      assertThat(l.statusCode()).as(what).isEqualTo(s.statusCode());
      assertThat(l.awsErrorDetails().errorCode()).as(what).isEqualTo(s.awsErrorDetails().errorCode());
      assertThat(l.awsErrorDetails().errorMessage()).as(what).isEqualTo(s.awsErrorDetails().errorMessage());
      assertThat(l.awsErrorDetails().serviceName()).as(what).isEqualTo(s.awsErrorDetails().serviceName());
      assertThat(l.getMessage().replaceAll("Request ID: [^,)]*", ""))
          .as(what).isEqualTo(s.getMessage().replaceAll("Request ID: [^,)]*", ""));
      assertThat(l.isThrottlingException()).as(what).isEqualTo(s.isThrottlingException());
      assertThat(classify(l)).as(what).isEqualTo(classify(s));
      if (answer.body().length > 0 && answer.body()[0] == '<' && s.requestId() != null && !s.requestId().startsWith("fake-")) {
        assertThat(l.requestId()).as(what).isEqualTo(s.requestId()); // from the body, not the per-answer header
      } else {
        assertThat(l.requestId()).as(what).startsWith("fake-");
      }
    }
  }

  @Test
  void answersThatAreNotGetMetricDataXmlFailAsClientErrors() {
    String good = "<GetMetricDataResponse><GetMetricDataResult><MetricDataResults><member><Id>q0</Id><Timestamps>"
        + "<member>2026-11-24T09:52:00Z</member></Timestamps><Values><member>1.0</member></Values><StatusCode>Complete"
        + "</StatusCode></member></MetricDataResults></GetMetricDataResult></GetMetricDataResponse>";
    List<String> bad = new ArrayList<>();
    for (int cut : new int[] {0, 1, 20, 60, 100, good.length() / 2, good.length() - 30, good.length() - 1}) {
      bad.add(good.substring(0, cut)); // truncated anywhere
    }
    bad.add(good.replace("</Values>", "</Valuez>"));
    bad.add(good.replace("1.0", "one"));
    bad.add(good.replace("2026-11-24T09:52:00Z", "yesterday"));
    bad.add(good.replace("<Id>q0</Id>", "<Id>q0</Id>&bogus;"));
    bad.add(good + "<Another/>");
    bad.add("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>" + good.replace("1.0", "&e;"));
    bad.add("<html><body>proxy says hello</body></html>");
    bad.add("not xml at all");
    List<PlannedQuery> batch = plan().batch(0);
    for (String body : bad) {
      aws.clearInterceptors();
      aws.intercept(r -> Optional.of(AwsResponse.xml(200, body)));
      Throwable viaLean = catchThrowable(() -> lean.page(batch, window(), null));
      assertThat(viaLean).as(body).isInstanceOf(SdkClientException.class);
      assertThat(AwsCallRetrier.isTransient((SdkException) viaLean)).as(body).isFalse(); // the batch fails this poll
    }
    aws.clearInterceptors();
    aws.intercept(r -> Optional.of(AwsResponse.xml(200, good)));
    assertThat(lean.page(batch, window(), null).results()).hasSize(1); // the well-formed original reads
  }

  @Test
  void anAbsurdlyLargeAnswerIsRefused() {
    byte[] huge = new byte[LeanMetricDataFetcher.MAX_RESPONSE_BYTES + 1];
    java.util.Arrays.fill(huge, (byte) ' ');
    aws.intercept(r -> Optional.of(new AwsResponse(200, "text/xml", huge, Map.of())));
    Throwable thrown = catchThrowable(() -> lean.page(plan().batch(0), window(), null));
    assertThat(thrown).isInstanceOf(SdkClientException.class).hasMessageContaining("refused");
  }

  @Test
  void overHttpsThePayloadIsStillSignedAsTheSdksClientSignsIt() throws Exception {
    LeanMetricDataFetcher https = new LeanMetricDataFetcher(http, StaticCredentialsProvider.create(
        AwsSessionCredentials.create("a", "b", "c")), REGION, java.net.URI.create("https://127.0.0.1:9"));
    GetMetricDataForm.Body body = new GetMetricDataForm().write(plan().batch(0), window(), null);
    var signed = https.sign(body, NOW);
    byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(java.util.Arrays.copyOf(body.bytes(), body.length()));
    assertThat(signed.firstMatchingHeader("x-amz-content-sha256")).contains(java.util.HexFormat.of().formatHex(hash));
    assertThat(signed.protocol()).isEqualTo("https");
  }

  @Test
  void theHandWrittenSignatureIsTheSdkSignersHeaderForHeaderWithTheCachedPayloadHash() {
    QueryPlan plan = plan();
    CollectionWindow later = new CollectionWindow(window().start().plusSeconds(60), window().end().plusSeconds(60), 60);
    for (var credentials : List.of(AwsSessionCredentials.create("AKIDTEST", "secret", "session-token"),
        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("AKIDOTHER", "other secret"))) {
      for (String endpoint : List.of(aws.endpoint().toString(), "https://127.0.0.1:9", "https://monitoring.eu-west-1.amazonaws.com")) {
        LeanMetricDataFetcher fetcher = new LeanMetricDataFetcher(http, StaticCredentialsProvider.create(credentials), REGION,
            java.net.URI.create(endpoint));
        GetMetricDataForm form = new GetMetricDataForm();
        // every batch twice (the second time with the constant part's hash from the cache), and a later window
        for (CollectionWindow window : List.of(window(), window(), later)) {
          for (int b = 0; b < plan.calls(); b++) {
            for (String token : new String[] {null, "tok/+= &ü"}) {
              GetMetricDataForm.Body body = form.write(plan.batch(b), window, token);
              var unsigned = fetcher.unsigned(body);
              Instant at = NOW.plusSeconds(b * 3_607L);
              var own = fetcher.sign(unsigned, body, at);
              var viaSdk = fetcher.signWithSdk(unsigned, body, at);
              assertThat(own.headers()).as(endpoint + " batch " + b).isEqualTo(viaSdk.headers());
              assertThat(List.copyOf(own.headers().keySet())).isEqualTo(List.copyOf(viaSdk.headers().keySet()));
              assertThat(own.getUri()).isEqualTo(viaSdk.getUri());
              assertThat(own.method()).isEqualTo(viaSdk.method());
            }
          }
        }
      }
    }
  }

  @Test
  void signingDatesAndHeaderValuesAreWrittenAsSigV4WantsThem() {
    for (String at : List.of("2026-01-02T03:04:05Z", "2026-12-31T23:59:59.999Z", "0999-07-08T09:10:11Z")) {
      assertThat(SigV4.basicDateTime(Instant.parse(at)))
          .isEqualTo(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(java.time.ZoneOffset.UTC)
              .format(Instant.parse(at)));
    }
    assertThat(SigV4.trimAll("  a  b\t c ")).isEqualTo("a b c");
  }

  @Test
  void theCachedPayloadHashIsTheBodysSha256AndFollowsAChangedConstantPart() throws Exception {
    QueryPlan plan = plan();
    GetMetricDataForm form = new GetMetricDataForm();
    java.security.MessageDigest sha256 = java.security.MessageDigest.getInstance("SHA-256");
    for (CollectionWindow window : List.of(window(), new CollectionWindow(window().start().plusSeconds(60), window().end().plusSeconds(60), 60), window())) {
      for (int b = 0; b < plan.calls(); b++) {
        // the same batch, then one query fewer: a constant part of another length and content
        for (List<PlannedQuery> batch : List.of(plan.batch(b), plan.batch(b).subList(1, plan.batch(b).size()))) {
          GetMetricDataForm.Body body = form.write(batch, window, "t");
          assertThat(body.constantLength()).isLessThan(body.length());
          String expected = java.util.HexFormat.of().formatHex(sha256.digest(java.util.Arrays.copyOf(body.bytes(), body.length())));
          assertThat(form.payloadSha256(body)).isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void theEndpointIsTheSdksResolutionWithoutAnOverride() {
    LeanMetricDataFetcher real = new LeanMetricDataFetcher(http, StaticCredentialsProvider.create(
        AwsSessionCredentials.create("a", "b", "c")), "ap-southeast-2", null);
    assertThat(real.endpoint().toString()).isEqualTo("https://monitoring.ap-southeast-2.amazonaws.com");
    LeanMetricDataFetcher china = new LeanMetricDataFetcher(http, StaticCredentialsProvider.create(
        AwsSessionCredentials.create("a", "b", "c")), "cn-north-1", null);
    assertThat(china.endpoint().toString()).isEqualTo("https://monitoring.cn-north-1.amazonaws.com.cn");
  }

  private static String classify(AwsServiceException e) {
    // isCredentialProblem throws for an error without a code (Set.of().contains(null)): asked only with one
    boolean credentials = e.awsErrorDetails().errorCode() != null && AwsCallRetrier.isCredentialProblem(e);
    return AwsCallRetrier.isThrottling(e) + "/" + AwsCallRetrier.isTransient(e) + "/" + credentials + "/"
        + AwsCallRetrier.errorType(e);
  }

  private static void assertSamePage(MetricDataPage actual, MetricDataPage expected) {
    assertThat(actual.nextToken()).isEqualTo(expected.nextToken());
    assertThat(actual.messages()).isEqualTo(expected.messages());
    assertThat(actual.results()).hasSameSizeAs(expected.results());
    for (int i = 0; i < expected.results().size(); i++) {
      MetricDataPage.QueryResult a = actual.results().get(i);
      MetricDataPage.QueryResult e = expected.results().get(i);
      assertThat(a.index()).isEqualTo(e.index());
      assertThat(a.statusCode()).isEqualTo(e.statusCode());
      assertThat(a.timestamps()).isEqualTo(e.timestamps());
      assertThat(a.values()).isEqualTo(e.values());
      assertThat(a.messages()).isEqualTo(e.messages());
    }
  }

  private static TreeSet<String> headerNames(AwsRequest request) {
    TreeSet<String> names = new TreeSet<>();
    request.headers().keySet().forEach(k -> names.add(k.toLowerCase(Locale.ROOT)));
    return names;
  }

  private static String signedHeaders(AwsRequest request) {
    String authorization = request.header("Authorization");
    int at = authorization.indexOf("SignedHeaders=");
    return authorization.substring(at, authorization.indexOf(',', at));
  }
}
