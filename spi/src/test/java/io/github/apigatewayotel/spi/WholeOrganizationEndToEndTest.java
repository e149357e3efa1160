package io.github.apigatewayotel.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.apigatewayotel.testing.aws.FakeAwsServer;
import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import io.github.apigatewayotel.testing.aws.SimulatedOrganization;
import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import io.github.apigatewayotel.testing.otlp.ReceivedMetric;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code otel.apigateway.aws.role.arn} with several roles and {@code
 * otel.apigateway.aws.linked.accounts} end to end, under SDK autoconfigure against a simulated
 * organization: metrics and access logs of each account, each with its own {@code
 * cloud.account.id}, checkpoints kept apart per account.
 */
class WholeOrganizationEndToEndTest {

  private static final String REGION = "eu-west-1";
  private static final String A = "111111111111";
  private static final String B = "222222222222";
  private static final String C = "333333333333";
  private static final String GROUP = "api-gateway-pets-api-prod";

  private final TemporarySystemProperties properties = new TemporarySystemProperties();
  private SimulatedOrganization org;
  private FakeAwsServer aws;
  private OtlpTestReceiver otlp;
  @TempDir Path state;

  @BeforeEach
  void start() throws Exception {
    otlp = OtlpTestReceiver.start();
    properties.setTestCredentials();
  }

  @AfterEach
  void stop() {
    properties.restore();
    otlp.close();
    if (aws != null) {
      aws.close();
    }
  }

  private void serve(SimulatedOrganization organization) throws Exception {
    org = organization;
    aws = org.serveOn(FakeAwsServer.start());
    Instant time = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
    for (String account : org.accounts().keySet()) {
      // the same group name in every account, each with its own line
      org.logs(account).putLogEvent(GROUP, "s1", time.toEpochMilli(), line("req-" + account, time));
    }
  }

  /**
   * Runs the plugin once (one metrics poll, each log group read once), closes it and flushes both
   * signals, as the standalone host's {@code --once} does: closing the plugin has the metric reader
   * export every piece (5,000 datapoints each; two accounts poll about 10,000).
   */
  private void runOnce(Map<String, String> apigateway) throws Exception {
    Map<String, String> all = new HashMap<>(apigateway);
    all.putAll(
        Map.of(
            "otel.service.name", "organization-test",
            "otel.traces.exporter", "none",
            "otel.metrics.exporter", "otlp",
            "otel.logs.exporter", "otlp",
            "otel.exporter.otlp.protocol", "http/protobuf",
            "otel.exporter.otlp.endpoint", otlp.endpoint(),
            "otel.apigateway.mode", "once",
            "otel.apigateway.regions", REGION,
            "otel.apigateway.aws.endpoint", aws.endpoint().toString(),
            "otel.apigateway.state.dir", state.toString()));
    OpenTelemetrySdk sdk =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(() -> all)
            .build()
            .getOpenTelemetrySdk();
    try {
      ApiGatewayPlugin plugin = ApiGatewayPlugin.of(sdk).orElseThrow();
      assertThat(plugin.awaitCompletion(Duration.ofSeconds(60))).isTrue();
      assertThat(plugin.failedSources()).isZero();
      plugin.close();
      sdk.getSdkMeterProvider().forceFlush().join(10, TimeUnit.SECONDS);
      sdk.getSdkLoggerProvider().forceFlush().join(10, TimeUnit.SECONDS);
    } finally {
      sdk.close();
    }
  }

  @Test
  void twoRolesGiveEachAccountsMetricsAndLogsTheirOwnAccount() throws Exception {
    serve(
        new SimulatedOrganization(
            new SimulatedAccount("999999999999", 9),
            SimulatedAccount.demo(A, REGION, 1),
            SimulatedAccount.demo(B, REGION, 2)));
    org.sts().requireExternalId(SimulatedOrganization.roleArn(A), "ext-1");
    org.sts().requireExternalId(SimulatedOrganization.roleArn(B), "ext-1");
    runOnce(
        Map.of(
            "otel.apigateway.aws.role.arn",
            SimulatedOrganization.roleArn(A) + "," + SimulatedOrganization.roleArn(B),
            "otel.apigateway.aws.role.external.id",
            "ext-1"));

    Map<String, Integer> pointsByAccount = pointsByAccount();
    assertThat(pointsByAccount).containsOnlyKeys(A, B);
    assertThat(pointsByAccount.get(A)).isPositive().isEqualTo(pointsByAccount.get(B));
    assertThat(logAccounts())
        .isEqualTo(Map.of("req-" + A, A, "req-" + B, B)); // not the home account's group
    // the same group name in two accounts: two checkpoints, apart
    assertThat(checkpoints(A)).isNotEmpty();
    assertThat(checkpoints(B)).isNotEmpty();
  }

  @Test
  void aMonitoringAccountsLinkedAccountsAreReadWithTheirOwningAccount() throws Exception {
    serve(
        new SimulatedOrganization(
                SimulatedAccount.demo(A, REGION, 1),
                SimulatedAccount.demo(B, REGION, 2),
                SimulatedAccount.demo(C, REGION, 3))
            .link(B)
            .link(C));
    // a role in the monitoring account itself too: that account is still read once
    runOnce(
        Map.of(
            "otel.apigateway.aws.linked.accounts",
            "true",
            "otel.apigateway.aws.role.arn",
            SimulatedOrganization.roleArn(B) + "," + SimulatedOrganization.roleArn(A)));

    Map<String, Integer> pointsByAccount = pointsByAccount();
    assertThat(pointsByAccount).containsOnlyKeys(A, B, C);
    assertThat(pointsByAccount.get(B))
        .isEqualTo(pointsByAccount.get(A))
        .isEqualTo(pointsByAccount.get(C));
    // B is discovered through its role (tags), C is named by its dimensions only
    assertThat(tagKeys(B)).contains("aws.tag.team");
    assertThat(tagKeys(C)).isEmpty();
    assertThat(org.cloudWatch(B).queriesReceived()).isZero(); // read through the monitoring account
    // access logs: the monitoring account's own groups (once) and B's through its role; C has no
    // role
    assertThat(otlp.logRecords()).hasSize(2);
    assertThat(logAccounts()).isEqualTo(Map.of("req-" + A, A, "req-" + B, B));
    assertThat(checkpoints(B)).isNotEmpty();
  }

  private Map<String, Integer> pointsByAccount() {
    Map<String, Integer> counts = new TreeMap<>();
    for (ReceivedMetric received : otlp.metrics()) {
      if (!received.name().startsWith("aws.apigateway.")) {
        continue;
      }
      List<NumberDataPoint> points =
          received.metric().hasSum()
              ? received.metric().getSum().getDataPointsList()
              : received.metric().getGauge().getDataPointsList();
      for (NumberDataPoint point : points) {
        counts.merge(attribute(point.getAttributesList(), "cloud.account.id"), 1, Integer::sum);
      }
    }
    return counts;
  }

  private Set<String> tagKeys(String account) {
    Set<String> keys = new TreeSet<>();
    for (ReceivedMetric received : otlp.metrics()) {
      if (received.name().equals("aws.apigateway.count")) {
        for (NumberDataPoint point : received.metric().getSum().getDataPointsList()) {
          if (account.equals(attribute(point.getAttributesList(), "cloud.account.id"))) {
            point.getAttributesList().stream()
                .map(KeyValue::getKey)
                .filter(k -> k.startsWith("aws.tag."))
                .forEach(keys::add);
          }
        }
      }
    }
    return keys;
  }

  private Map<String, String> logAccounts() {
    await().atMost(Duration.ofSeconds(10)).until(() -> !otlp.logRecords().isEmpty());
    return otlp.logRecords().stream()
        .collect(
            Collectors.toMap(
                log -> log.stringAttribute("aws.request_id"),
                log -> log.stringAttribute("cloud.account.id")));
  }

  private List<Path> checkpoints(String account) throws Exception {
    Path directory = state.resolve("cloudwatch-logs").resolve(account);
    try (var files = Files.list(directory)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".checkpoint")).toList();
    }
  }

  private static String attribute(List<KeyValue> attributes, String key) {
    return attributes.stream()
        .filter(a -> a.getKey().equals(key))
        .map(a -> a.getValue().getStringValue())
        .findFirst()
        .orElse("");
  }

  /** A line of the seed's JSON format (the default). */
  private static String line(String requestId, Instant time) {
    return "{ \"apiId\": \"a1b2c3d4e5\", \"stage\": \"prod\", \"requestId\":\""
        + requestId
        + "\","
        + " \"ip\":\"198.51.100.7\", \"caller\":\"-\", \"user\":\"-\", \"requestTime\":"
        + time.toEpochMilli()
        + ","
        + " \"httpMethod\":\"GET\", \"resourcePath\":\"/pets\", \"status\":200, \"protocol\":\"HTTP/1.1\","
        + " \"responseLength\":42 }";
  }
}
