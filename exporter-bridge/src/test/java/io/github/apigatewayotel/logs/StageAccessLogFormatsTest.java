package io.github.apigatewayotel.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.apigatewayotel.testing.aws.AccessLogFormats;
import io.github.apigatewayotel.testing.aws.AccessLogSettings;
import io.github.apigatewayotel.testing.aws.ApiGatewaySimulator;
import io.github.apigatewayotel.testing.aws.AwsResponse;
import io.github.apigatewayotel.testing.aws.FakeAwsServer;
import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import io.github.apigatewayotel.testing.logging.CapturedLogs;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;

/** Real AWS SDK v2 clients against the API Gateway simulator on loopback. */
class StageAccessLogFormatsTest {

  private static final String REGION = "eu-west-1";
  private static final String ACCOUNT = "123456789012";
  private static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret"));

  private final SimulatedAccount account = SimulatedAccount.demo(ACCOUNT, REGION, 7);
  private final InMemoryMetricReader metricReader = InMemoryMetricReader.create();
  private final SdkMeterProvider meterProvider =
      SdkMeterProvider.builder().registerMetricReader(metricReader).build();
  private final List<AutoCloseable> clients = new java.util.ArrayList<>();
  private FakeAwsServer server;

  @BeforeEach
  void start() throws Exception {
    server = FakeAwsServer.start().register(new ApiGatewaySimulator(account));
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable client : clients) {
      client.close();
    }
    server.close();
    meterProvider.close();
  }

  /** Formats read from the simulated account through the real API Gateway clients. */
  private StageAccessLogFormats formatsFromTheSimulator() {
    return StageAccessLogFormats.builder()
        .setRegion(REGION)
        .setEndpointOverride(server.endpoint())
        .setCredentialsProvider(CREDENTIALS)
        .setMeterProvider(meterProvider)
        .build();
  }

  /** What the demo account's stages log to, computed from the simulator's own accessors. */
  private Map<String, String> expectedTemplates() {
    Map<String, String> expected = new HashMap<>();
    for (SimulatedAccount.Api api : account.apis(REGION)) {
      for (String stage : api.stages()) {
        if (api.accessLogGroup(stage) != null) {
          expected.put(api.accessLogGroup(stage), api.accessLogFormat(stage));
        }
      }
    }
    return expected;
  }

  @Test
  void discoversEveryStagesFormatByLogGroup() {
    try (StageAccessLogFormats formats = formatsFromTheSimulator()) {
      assertThat(formats.formats()).isEmpty();

      assertThat(formats.refresh()).isTrue();

      Map<String, String> templates = new HashMap<>();
      formats.formats().forEach((group, format) -> templates.put(group, format.template()));
      assertThat(templates).isEqualTo(expectedTemplates());
      // REST (with and without the trailing ":*"), HTTP and WebSocket stages, several formats.
      assertThat(templates)
          .containsEntry("api-gateway-pets-api-prod", AccessLogFormats.SEED_JSON)
          .containsEntry("api-gateway-pets-api-staging", AccessLogFormats.CLF)
          .containsEntry("api-gateway-k9x8w7v6u5-prod", AccessLogFormats.XML)
          .containsEntry("api-gateway-checkout-http-default", AccessLogFormats.HTTP_JSON)
          .containsEntry("api-gateway-checkout-http-beta", AccessLogFormats.CSV)
          .containsEntry("api-gateway-chat-ws-production", AccessLogFormats.WEBSOCKET_JSON)
          .hasSize(7);
      // The Firehose destination and the stage without logging name no group.
      assertThat(templates.keySet()).noneMatch(group -> group.contains("inventory"));
      assertThat(templates.keySet()).noneMatch(group -> group.contains("z0y1x2w3v4"));
      assertThat(formats.formatOf("api-gateway-unknown")).isNull();
      assertThat(formats.logGroupNames()).isEqualTo(templates.keySet());
      assertThatThrownBy(() -> formats.formats().put("x", AccessLogFormat.defaultFormat()))
          .isInstanceOf(UnsupportedOperationException.class);
      assertThat(counter("apigateway_otel.logs.format_discovery.refreshes", null)).isEqualTo(1);
      // Each group names the stage writing to it, with its API's type (REST, HTTP, WebSocket).
      for (SimulatedAccount.Api api : account.apis(REGION)) {
        for (String stage : api.stages()) {
          String group = api.accessLogGroup(stage);
          if (group != null) {
            assertThat(formats.stageOf(group))
                .isEqualTo(
                    new ApiStage(
                        api.id(), stage, api.type().name().toLowerCase(java.util.Locale.ROOT)));
          }
        }
      }
    }
  }

  @Test
  void aGroupSeveralStagesWriteToNamesNoStage() {
    SimulatedAccount.Api pets = account.api("a1b2c3d4e5");
    String shared = pets.accessLogGroup("prod");
    account.addApi(
        pets.withAccessLogSettings(
            "staging",
            AccessLogSettings.toLogGroup(REGION, ACCOUNT, shared, pets.accessLogFormat("prod"))));
    try (StageAccessLogFormats formats = formatsFromTheSimulator()) {
      assertThat(formats.refresh()).isTrue();
      assertThat(formats.formatOf(shared)).isNotNull();
      assertThat(formats.stageOf(shared))
          .isNull(); // neither prod nor staging: lines name their own
    }
  }

  @Test
  void pagesThroughApisAndV2Stages() {
    SimulatedAccount many = new SimulatedAccount(ACCOUNT, 1);
    int apis = 3 * 4; // 4 REST, 8 HTTP and WebSocket APIs
    many.addGeneratedApis(REGION, apis, 1, 1);
    for (SimulatedAccount.Api api : many.apis(REGION)) {
      many.addApi(
          api.withAccessLogSettings(
              api.stages().get(0),
              AccessLogSettings.toLogGroup(
                  REGION, ACCOUNT, "api-gateway-" + api.id(), AccessLogFormats.CLF)));
    }
    // A v2 API with more stages than one GetStages page holds.
    List<String> stages = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      stages.add("s" + i);
    }
    SimulatedAccount.Api wide =
        new SimulatedAccount.Api(
            "wide000001",
            "wide",
            SimulatedAccount.ApiType.HTTP,
            REGION,
            stages,
            List.of("GET /x"),
            Map.of(),
            Map.of(),
            false,
            false,
            Instant.EPOCH);
    for (String stage : stages) {
      wide =
          wide.withAccessLogSettings(
              stage,
              AccessLogSettings.toLogGroup(
                  REGION, ACCOUNT, "api-gateway-wide-" + stage, AccessLogFormats.CSV));
    }
    many.addApi(wide);
    // Page sizes shrink (v1 limit 3, v2 maxResults 2) so that every paginated call really pages.
    try (FakeAwsServer paged = startShrinkingPages(many);
        StageAccessLogFormats formats = withClients(paged)) {
      assertThat(formats.refresh()).isTrue();
      assertThat(formats.formats()).hasSize(apis + 3);
      assertThat(formats.formatOf("api-gateway-wide-s2").template())
          .isEqualTo(AccessLogFormats.CSV);
      assertThat(paged.requestCount("GET /restapis")).isEqualTo(2);
      assertThat(paged.requestCount("GET /v2/apis")).isEqualTo(5); // 9 APIs, 2 a page
      assertThat(paged.requestCount("GET /v2/apis/wide000001/stages")).isEqualTo(2);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static FakeAwsServer startShrinkingPages(SimulatedAccount account) throws Exception {
    ApiGatewaySimulator simulator = new ApiGatewaySimulator(account);
    FakeAwsServer paged = FakeAwsServer.start();
    paged.intercept(
        request -> {
          Map<String, String> query = new HashMap<>(request.queryParameters());
          if (!query.containsKey("limit") && !query.containsKey("maxResults")) {
            return Optional.empty();
          }
          query.computeIfPresent("limit", (k, v) -> "3");
          query.computeIfPresent("maxResults", (k, v) -> "2");
          StringBuilder raw = new StringBuilder();
          query.forEach(
              (k, v) ->
                  raw.append(raw.length() == 0 ? "" : "&")
                      .append(k)
                      .append('=')
                      .append(
                          java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8)));
          return Optional.of(
              simulator.handle(
                  new io.github.apigatewayotel.testing.aws.AwsRequest(
                      request.method(),
                      request.path(),
                      raw.toString(),
                      request.headers(),
                      request.body(),
                      request.service(),
                      request.region(),
                      request.accessKeyId())));
        });
    return paged.register(simulator);
  }

  @Test
  void aFormatThatDoesNotCompileIsSkippedAndCounted() {
    SimulatedAccount.Api pets = account.api("a1b2c3d4e5");
    account.addApi(
        pets.withAccessLogSettings(
            "staging",
            // AWS accepts it (it holds $context.requestId); the compiler cannot split touching
            // variables.
            AccessLogSettings.toLogGroup(
                REGION, ACCOUNT, "api-gateway-broken", "$context.requestId$context.status")));
    try (StageAccessLogFormats formats = withClients(server)) {
      assertThat(formats.refresh()).isTrue();
      assertThat(formats.formatOf("api-gateway-broken")).isNull();
      assertThat(formats.formatOf("api-gateway-pets-api-prod")).isNotNull();
      assertThat(counter("apigateway_otel.logs.format_discovery.errors", "invalid_format"))
          .isEqualTo(1);
    }
  }

  @Test
  void aStageFormatWithAMisspelledVariableIsUsedAndNamedOnceWithTheNearestDocumentedOne() {
    SimulatedAccount.Api pets = account.api("a1b2c3d4e5");
    account.addApi(
        pets.withAccessLogSettings(
            "staging",
            AccessLogSettings.toLogGroup(
                REGION, ACCOUNT, "api-gateway-typo", "$context.requestIdd $context.status")));
    try (CapturedLogs logs = CapturedLogs.of("io.github.apigatewayotel.logs");
        StageAccessLogFormats formats = withClients(server)) {
      assertThat(formats.refresh()).isTrue();
      assertThat(formats.refresh()).isTrue();

      assertThat(formats.formatOf("api-gateway-typo")).isNotNull(); // a warning, never a refusal
      assertThat(logs.warnings())
          .filteredOn(message -> message.contains("$context.requestIdd"))
          .singleElement()
          .asString()
          .contains("a1b2c3d4e5/staging", "did you mean $context.requestId?");
      assertThat(logs.warnings()).noneMatch(message -> message.contains("$context.status"));
    }
  }

  @Test
  void throttlingAfterTheSdksRetriesKeepsThePreviousFormats() {
    try (StageAccessLogFormats formats = withClients(server)) {
      assertThat(formats.refresh()).isTrue();
      Map<String, AccessLogFormat> before = formats.formats();
      AtomicBoolean throttle = new AtomicBoolean(true);
      server.intercept(
          request ->
              throttle.get()
                  ? Optional.of(
                      AwsResponse.restError(429, "TooManyRequestsException", "Too Many Requests"))
                  : Optional.empty());

      assertThat(formats.refresh()).isFalse();

      assertThat(formats.formats()).isSameAs(before);
      assertThat(counter("apigateway_otel.logs.format_discovery.errors", "throttled")).isEqualTo(1);
      throttle.set(false);
      assertThat(formats.refresh()).isTrue();
      assertThat(formats.formats()).isEqualTo(before);
    }
  }

  @Test
  void anApiDeletedBetweenListingAndGetStagesIsSkipped() {
    // GetRestApis and GetApis still list them, their GetStages answer 404 as AWS does.
    server.intercept(
        request ->
            request.path().equals("/restapis/k9x8w7v6u5/stages")
                    || request.path().equals("/v2/apis/w5s5k5t5c5/stages")
                ? Optional.of(
                    AwsResponse.restError(
                        404, "NotFoundException", "Invalid API identifier specified"))
                : Optional.empty());
    try (StageAccessLogFormats formats = withClients(server)) {
      assertThat(formats.refresh()).isTrue();
      assertThat(formats.logGroupNames())
          .contains("api-gateway-pets-api-prod", "api-gateway-checkout-http-beta")
          .doesNotContain("api-gateway-k9x8w7v6u5-prod", "api-gateway-chat-ws-production")
          .hasSize(4);
    }
  }

  @Test
  void badConfigurationNamesWhatIsWrong() {
    assertThatThrownBy(() -> StageAccessLogFormats.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("region");
    assertThatThrownBy(() -> StageAccessLogFormats.builder().setRegion(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("region");
  }

  private StageAccessLogFormats withClients(FakeAwsServer target) {
    ApiGatewayClient rest =
        ApiGatewayClient.builder()
            .region(Region.of(REGION))
            .endpointOverride(target.endpoint())
            .credentialsProvider(CREDENTIALS)
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .overrideConfiguration(c -> c.retryStrategy(fastRetries()))
            .build();
    ApiGatewayV2Client v2 =
        ApiGatewayV2Client.builder()
            .region(Region.of(REGION))
            .endpointOverride(target.endpoint())
            .credentialsProvider(CREDENTIALS)
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .overrideConfiguration(c -> c.retryStrategy(fastRetries()))
            .build();
    clients.add(rest);
    clients.add(v2);
    return StageAccessLogFormats.builder()
        .setClients(rest, v2)
        .setMeterProvider(meterProvider)
        .build();
  }

  /** The SDK's standard strategy, 3 attempts, without waiting between them. */
  private static software.amazon.awssdk.retries.api.RetryStrategy fastRetries() {
    return AwsRetryStrategy.standardRetryStrategy().toBuilder()
        .maxAttempts(3)
        .backoffStrategy(BackoffStrategy.retryImmediately())
        .throttlingBackoffStrategy(BackoffStrategy.retryImmediately())
        .build();
  }

  private long counter(String name, String errorType) {
    long total = 0;
    for (MetricData metric : metricReader.collectAllMetrics()) {
      if (!metric.getName().equals(name)) {
        continue;
      }
      for (LongPointData point : metric.getLongSumData().getPoints()) {
        if (errorType == null
            || errorType.equals(point.getAttributes().get(AttributeKey.stringKey("error.type")))) {
          total += point.getValue();
        }
      }
    }
    return total;
  }
}
