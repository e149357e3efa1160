package io.github.apigatewayotel.spi.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.apigatewayotel.logs.ClientAddressPolicy;
import io.github.apigatewayotel.logs.CloudWatchLogsSource;
import io.github.apigatewayotel.receiver.ApiGatewayMetricsReceiver;
import io.github.apigatewayotel.receiver.ApiGatewayMetricsReceiverBuilder;
import io.github.apigatewayotel.testing.logging.CapturedLogs;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiGatewayConfigTest {

  private static ApiGatewayConfig config(Map<String, String> properties) {
    return ApiGatewayConfig.fromConfig(DefaultConfigProperties.createFromMap(properties));
  }

  /**
   * A setting of the receiver's builder once the configuration is applied onto it, read from its
   * field as opentelemetry-java-contrib's inferred-spans tests read their builder's.
   */
  private static Object setting(ApiGatewayConfig config, String field) {
    ApiGatewayMetricsReceiverBuilder builder = ApiGatewayMetricsReceiver.builder();
    config.receiver().applyTo(builder);
    return field(builder, field);
  }

  /** A setting of the access-log bridge's builder once the configuration is applied onto it. */
  static Object bridgeSetting(ApiGatewayConfig config, String field) {
    io.github.apigatewayotel.logs.AccessLogBridge.Builder builder =
        io.github.apigatewayotel.logs.AccessLogBridge.builder(
            io.opentelemetry.api.logs.LoggerProvider.noop());
    config.accessLogBridge().applyTo(builder);
    return field(builder, field);
  }

  /** A setting of a CloudWatch Logs source's builder once the configuration is applied onto it. */
  private static Object logsSetting(ApiGatewayConfig config, String field) {
    io.github.apigatewayotel.logs.CloudWatchLogsSourceBuilder builder =
        io.github.apigatewayotel.logs.CloudWatchLogsSource.builder(
            io.github.apigatewayotel.logs.AccessLogBridge.builder(
                    io.opentelemetry.api.logs.LoggerProvider.noop())
                .build());
    config.cloudWatchLogs().applyTo(builder);
    config.cloudWatchLogs().applyAccessLogGroupsTo(builder);
    return field(builder, field);
  }

  static io.github.apigatewayotel.logs.AccessLogFormat bridgeFormat(ApiGatewayConfig config) {
    return (io.github.apigatewayotel.logs.AccessLogFormat) bridgeSetting(config, "format");
  }

  private static Object field(Object builder, String name) {
    try {
      java.lang.reflect.Field declared = builder.getClass().getDeclaredField(name);
      declared.setAccessible(true);
      return declared.get(builder);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(name, e);
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value) {
    return (List<Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static Map<Object, Object> map(Object value) {
    return (Map<Object, Object>) value;
  }

  @Test
  void eachDefaultIsTheBuildersAndTheTwoDiscoveriesAgree() {
    ApiGatewayConfig defaults = config(Map.of());
    // one key paces both discoveries and every access-log source: their builders must agree
    assertThat(CloudWatchLogsSource.DEFAULT_DISCOVERY_INTERVAL)
        .isEqualTo(ApiGatewayMetricsReceiver.DEFAULT_DISCOVERY_INTERVAL)
        .isEqualTo(defaults.cloudWatchLogs().discoveryInterval())
        .isEqualTo(Duration.ofMinutes(15));
    assertThat(CloudWatchLogsSource.DEFAULT_POLL_INTERVAL)
        .isEqualTo(defaults.cloudWatchLogs().pollInterval())
        .isEqualTo(Duration.ofSeconds(10));
    assertThat((Duration) setting(defaults, "lookback"))
        .isEqualTo(ApiGatewayMetricsReceiver.DEFAULT_LOOKBACK);
    assertThat((Duration) setting(defaults, "delay"))
        .isEqualTo(ApiGatewayMetricsReceiver.DEFAULT_DELAY);
  }

  @Test
  void defaultsFollowTheContract() {
    ApiGatewayConfig config = config(Map.of());
    assertThat(config.metricsEnabled()).isTrue();
    assertThat(config.logsEnabled()).isTrue();
    assertThat(config.mode()).isEqualTo(ApiGatewayConfig.Mode.CONTINUOUS);
    assertThat(config.regions()).isEmpty();
    assertThat(config.awsEndpoint()).isEmpty();
    assertThat(config.stateDir()).isEmpty();
    assertThat((Duration) setting(config, "period")).isEqualTo(Duration.ofMinutes(1));
    // every 5 minutes: 5 periods per metric request, a fifth of the CloudWatch bill of 1 minute
    assertThat(config.receiver().pollInterval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(((io.github.apigatewayotel.receiver.MetricStatistics) setting(config, "statistics")))
        .isEqualTo(io.github.apigatewayotel.receiver.MetricStatistics.all());
    assertThat((Boolean) setting(config, "recentlyActiveOnly")).isTrue();
    assertThat((Double) setting(config, "pricePerThousandMetricRequests")).isEqualTo(0.01);
    assertThat((String) setting(config, "tagAttributePrefix")).isEqualTo("aws.tag.");
    assertThat(config.logSources()).containsExactly(new AccessLogLocation.CloudWatchLogs());
    assertThat((java.util.Set<Object>) logsSetting(config, "logGroupPrefixes"))
        .isEmpty(); // the builder's default
    assertThat((java.util.Set<Object>) logsSetting(config, "logGroupNames")).isEmpty();
    List<String> described = new java.util.ArrayList<>();
    config.cloudWatchLogs().describeAccessLogGroups(described);
    assertThat(described).containsExactly("groups starting with [api-gateway]");
    assertThat((Duration) logsSetting(config, "lookback")).isEqualTo(Duration.ofMinutes(15));
    assertThat(bridgeFormat(config).variables()).contains("context.requestTimeEpoch");
    assertThat(config.accessLogBridge().formatAuto()).isFalse();
    assertThat(config.exportConfirm()).isTrue();
    assertThat((Integer) setting(config, "maxPendingPoints")).isEqualTo(4_000_000);
    assertThat((Integer) setting(config, "maxExportPoints")).isEqualTo(5_000);
    // The OTLP exporter's default preference is cumulative.
    assertThat(config.temporality()).isEqualTo(ApiGatewayConfig.Temporality.CUMULATIVE);
  }

  @Test
  void theDeprecatedTransportKeyStillStartsWithAWarning() {
    Logger logger = Logger.getLogger(ApiGatewayConfig.class.getName());
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    logger.addHandler(handler);
    try {
      for (String value : List.of("lean", " SDK ")) {
        records.clear();
        config(Map.of("otel.apigateway.metrics.transport", value));
        assertThat(records)
            .singleElement()
            .satisfies(
                r -> {
                  assertThat(r.getLevel()).isEqualTo(Level.WARNING);
                  assertThat(r.getMessage())
                      .contains("otel.apigateway.metrics.transport=" + value.trim())
                      .contains("deprecated and ignored");
                });
      }
      records.clear();
      config(Map.of());
      assertThat(records).isEmpty();
    } finally {
      logger.removeHandler(handler);
    }
  }

  @Test
  void readsEveryKey(@TempDir Path temp) {
    String stateDir = temp.resolve("state").toString();
    ApiGatewayConfig config =
        config(
            Map.ofEntries(
                Map.entry("otel.apigateway.metrics.enabled", "false"),
                Map.entry("otel.apigateway.logs.enabled", "false"),
                Map.entry("otel.apigateway.mode", "once"),
                Map.entry("otel.apigateway.regions", "us-east-1, eu-west-1"),
                Map.entry("otel.apigateway.aws.endpoint", "http://127.0.0.1:4566"),
                Map.entry("otel.apigateway.aws.role.arn", "arn:aws:iam::123456789012:role/reader"),
                Map.entry("otel.apigateway.aws.role.external.id", "ext"),
                Map.entry("otel.apigateway.aws.account.id", "123456789012"),
                Map.entry("otel.apigateway.state.dir", stateDir),
                Map.entry("otel.apigateway.metrics.period", "5m"),
                Map.entry("otel.apigateway.metrics.delay", "0s"),
                Map.entry("otel.apigateway.metrics.interval", "30s"),
                Map.entry("otel.apigateway.metrics.temporality", "delta"),
                Map.entry("otel.apigateway.discovery.interval", "1h"),
                Map.entry("otel.apigateway.apis.include", "orders,pets"),
                Map.entry("otel.apigateway.apis.exclude", "legacy"),
                Map.entry("otel.apigateway.apis.include.tags", "team=payments"),
                Map.entry("otel.apigateway.apis.exclude.tags", "env=dev"),
                Map.entry("otel.apigateway.metrics.lookback", "1h"),
                Map.entry("otel.apigateway.metrics.detailed", "false"),
                Map.entry("otel.apigateway.metrics.concurrency", "8"),
                Map.entry(
                    "otel.apigateway.metrics.statistics",
                    "Latency:p99|Average,IntegrationLatency:p99"),
                Map.entry("otel.apigateway.metrics.recently.active", "false"),
                Map.entry("otel.apigateway.metrics.price.per.thousand.requests", "0.0125"),
                Map.entry("otel.apigateway.tags.prefix", ""),
                Map.entry("otel.apigateway.logs.source", "cloudwatch,file:/tmp/a.log"),
                Map.entry("otel.apigateway.logs.format", "clf"),
                Map.entry("otel.apigateway.logs.lookback", "2h"),
                Map.entry("otel.apigateway.logs.groups", "api-gateway-prod"),
                Map.entry("otel.apigateway.logs.interval", "5s"),
                Map.entry("otel.apigateway.logs.overlap", "1m")));
    assertThat(config.metricsEnabled()).isFalse();
    assertThat(config.logsEnabled()).isFalse();
    assertThat(config.mode()).isEqualTo(ApiGatewayConfig.Mode.ONCE);
    assertThat(config.regions()).containsExactly("us-east-1", "eu-west-1");
    assertThat(config.awsEndpoint()).contains(URI.create("http://127.0.0.1:4566"));
    assertThat(config.roleArns()).containsExactly("arn:aws:iam::123456789012:role/reader");
    assertThat(config.linkedAccounts()).isFalse();
    assertThat(config.roleExternalId()).contains("ext");
    assertThat(config.accountId()).contains("123456789012");
    assertThat(config.stateDir()).contains(Path.of(stateDir));
    assertThat((Duration) setting(config, "period")).isEqualTo(Duration.ofMinutes(5));
    assertThat((Duration) setting(config, "delay")).isZero();
    assertThat(config.receiver().pollInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.temporality()).isEqualTo(ApiGatewayConfig.Temporality.DELTA);
    assertThat((Duration) setting(config, "discoveryInterval")).isEqualTo(Duration.ofHours(1));
    assertThat((Duration) logsSetting(config, "discoveryInterval")).isEqualTo(Duration.ofHours(1));
    assertThat(config.cloudWatchLogs().discoveryInterval()).isEqualTo(Duration.ofHours(1));
    assertThat(list(setting(config, "includeApis"))).containsExactly("orders", "pets");
    assertThat(list(setting(config, "excludeApis"))).containsExactly("legacy");
    assertThat(map(setting(config, "includeTags"))).containsEntry("team", List.of("payments"));
    assertThat(map(setting(config, "excludeTags"))).containsEntry("env", List.of("dev"));
    assertThat((Duration) setting(config, "lookback")).isEqualTo(Duration.ofHours(1));
    assertThat((Boolean) setting(config, "detailedMetrics")).isFalse();
    assertThat((Integer) setting(config, "getMetricDataConcurrency")).isEqualTo(8);
    assertThat(
            ((io.github.apigatewayotel.receiver.MetricStatistics) setting(config, "statistics"))
                .statistics("Latency"))
        .containsExactly("Average", "p99");
    assertThat(
            ((io.github.apigatewayotel.receiver.MetricStatistics) setting(config, "statistics"))
                .statistics("IntegrationLatency"))
        .containsExactly("p99");
    assertThat((Boolean) setting(config, "recentlyActiveOnly")).isFalse();
    assertThat((Double) setting(config, "pricePerThousandMetricRequests")).isEqualTo(0.0125);
    assertThat((String) setting(config, "tagAttributePrefix")).isEmpty();
    assertThat(config.logSources())
        .containsExactly(
            new AccessLogLocation.CloudWatchLogs(),
            new AccessLogLocation.File(Path.of("/tmp/a.log")));
    assertThat(bridgeFormat(config).template()).contains("$context.requestTime");
    assertThat(config.accessLogBridge().formatAuto()).isFalse();
    assertThat((Duration) logsSetting(config, "lookback")).isEqualTo(Duration.ofHours(2));
    assertThat((java.util.Set<Object>) logsSetting(config, "logGroupNames"))
        .containsExactly("api-gateway-prod");
    assertThat((java.util.Set<Object>) logsSetting(config, "logGroupPrefixes")).isEmpty();
    assertThat((Duration) logsSetting(config, "pollInterval")).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.cloudWatchLogs().pollInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat((Duration) logsSetting(config, "ingestionOverlap")).isEqualTo(Duration.ofMinutes(1));
  }

  @ParameterizedTest
  @CsvSource({
    "otel.exporter.otlp.metrics.temporality.preference, cumulative, CUMULATIVE",
    "otel.exporter.otlp.metrics.temporality.preference, delta, DELTA",
    "otel.exporter.otlp.metrics.temporality.preference, lowmemory, DELTA",
  })
  void followsTheExportersTemporalityPreference(String key, String value, String expected) {
    assertThat(config(Map.of(key, value)).temporality().name()).isEqualTo(expected);
  }

  @Test
  void ownTemporalityOverridesTheExporters() {
    assertThat(
            config(
                    Map.of(
                        "otel.exporter.otlp.metrics.temporality.preference", "delta",
                        "otel.apigateway.metrics.temporality", "cumulative"))
                .temporality())
        .isEqualTo(ApiGatewayConfig.Temporality.CUMULATIVE);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "otel.apigateway.mode|sometimes",
        "otel.apigateway.regions|Mars-1",
        "otel.apigateway.aws.endpoint|localhost:4566",
        "otel.apigateway.aws.endpoint|ftp://127.0.0.1",
        "otel.apigateway.aws.role.arn|reader",
        "otel.apigateway.aws.role.arn|arn:aws:iam::111111111111:role/a,reader",
        "otel.apigateway.aws.linked.accounts|yes",
        "otel.apigateway.aws.account.id|12345",
        "otel.apigateway.metrics.period|30s",
        "otel.apigateway.metrics.lookback|-5m",
        "otel.apigateway.metrics.lookback|30s",
        "otel.apigateway.metrics.detailed|yes",
        "otel.apigateway.metrics.concurrency|0",
        "otel.apigateway.metrics.concurrency|51",
        "otel.apigateway.metrics.concurrency|four",
        "otel.apigateway.metrics.period|90s",
        "otel.apigateway.metrics.period|0s",
        "otel.apigateway.metrics.delay|-1m",
        "otel.apigateway.metrics.interval|soon",
        "otel.apigateway.metrics.interval|201m",
        "otel.apigateway.metrics.statistics|Latency",
        "otel.apigateway.metrics.recently.active|sometimes",
        "otel.apigateway.metrics.price.per.thousand.requests|-0.01",
        "otel.apigateway.metrics.price.per.thousand.requests|a cent",
        "otel.apigateway.metrics.price.per.thousand.requests|NaN",
        "otel.apigateway.metrics.temporality|sideways",
        "otel.apigateway.discovery.interval|0m",
        "otel.apigateway.logs.source|s3://bucket",
        "otel.apigateway.logs.source|file:",
        "otel.apigateway.logs.format|no variables here",
        "otel.apigateway.logs.lookback|yesterday",
        "otel.apigateway.logs.interval|0s",
        "otel.apigateway.logs.overlap|-1s",
        "otel.apigateway.metrics.enabled|maybe",
        "otel.apigateway.metrics.transport|fast",
        "otel.apigateway.metrics.max.pending.points|10",
        "otel.apigateway.metrics.max.pending.points|lots",
        "otel.apigateway.export.confirm|sometimes",
      })
  void aBadValueFailsNamingTheKey(String key, String value) {
    assertThatThrownBy(() -> config(Map.of(key, value)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(key);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Latency:p99,Latncy:p99|'Latncy'",
        "IntegrationLatency:p50|'p50'",
        "Count:Average|'Average'",
        "Latency:p99,Count:Sum,Latency:Average|'Latency' is named twice",
      })
  void anUnknownMetricOrStatisticFailsNamingTheKeyAndTheToken(String value, String token) {
    assertThatThrownBy(() -> config(Map.of("otel.apigateway.metrics.statistics", value)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("otel.apigateway.metrics.statistics")
        .hasMessageContaining(token);
  }

  @ParameterizedTest
  @CsvSource({"auto", "AUTO", "' Auto '"})
  void autoFormatIsCaseInsensitiveAndFallsBackToTheSeedsJson(String value) {
    ApiGatewayConfig config = config(Map.of("otel.apigateway.logs.format", value));
    assertThat(config.accessLogBridge().formatAuto()).isTrue();
    assertThat(bridgeFormat(config).template())
        .isEqualTo(io.github.apigatewayotel.logs.AccessLogFormat.defaultFormat().template());
  }

  @ParameterizedTest
  @CsvSource({"file:/var/log/x.log", "'cloudwatch,file:/var/log/x.log'"})
  void autoFormatWithAFileSourceFailsNamingTheFormatKey(String sources) {
    assertThatThrownBy(
            () ->
                config(
                    Map.of(
                        "otel.apigateway.logs.format",
                        "auto",
                        "otel.apigateway.logs.source",
                        sources)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("otel.apigateway.logs.format")
        .hasMessageContaining("otel.apigateway.logs.source");
  }

  @Test
  void exportMaxPointsTakesAWholeNumberFrom100() {
    assertThat(
            (Integer)
                setting(
                    config(Map.of("otel.apigateway.metrics.export.max.points", "2000")),
                    "maxExportPoints"))
        .isEqualTo(2000);
    assertThatThrownBy(() -> config(Map.of("otel.apigateway.metrics.export.max.points", "99")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("otel.apigateway.metrics.export.max.points")
        .hasMessageContaining("99");
  }

  @Test
  void theFormerUnderscoreSpellingsStillWorkWithOneWarningNamingTheNewKey() {
    // OTEL_APIGATEWAY_METRICS_MAX_PENDING_POINTS reaches the config as ...max.pending.points: the
    // key.
    ApiGatewayConfig config =
        config(
            Map.of(
                "otel.apigateway.metrics.max.pending.points", "1000",
                "otel.apigateway.logs.client.address", "truncate",
                "otel.apigateway.aws.role.arn", "arn:aws:iam::123456789012:role/reader",
                "otel.apigateway.aws.role.external.id", "ext"));
    assertThat((Integer) setting(config, "maxPendingPoints")).isEqualTo(1000);
    assertThat(bridgeSetting(config, "clientAddressPolicy"))
        .isEqualTo(ClientAddressPolicy.truncate());
    assertThat(config.roleExternalId()).contains("ext");
    try (CapturedLogs logs = CapturedLogs.of("io.github.apigatewayotel.spi")) {
      ApiGatewayConfig deprecated =
          config(
              Map.of(
                  "otel.apigateway.metrics.max_pending_points", "2000",
                  "otel.apigateway.logs.client_address", "hash",
                  "otel.apigateway.logs.client_address.key", "k3y",
                  "otel.apigateway.aws.role.arn", "arn:aws:iam::123456789012:role/reader",
                  "otel.apigateway.aws.role.external_id", "ext"));
      assertThat((Integer) setting(deprecated, "maxPendingPoints")).isEqualTo(2000);
      assertThat(bridgeSetting(deprecated, "clientAddressPolicy"))
          .isEqualTo(
              ClientAddressPolicy.hash("k3y".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      assertThat(deprecated.roleExternalId()).contains("ext");
      assertThat(logs.warnings())
          .containsExactlyInAnyOrder(
              "apigateway-otel: otel.apigateway.metrics.max_pending_points is deprecated: rename it"
                  + " otel.apigateway.metrics.max.pending.points.",
              "apigateway-otel: otel.apigateway.logs.client_address is deprecated: rename it"
                  + " otel.apigateway.logs.client.address.",
              "apigateway-otel: otel.apigateway.logs.client_address.key is deprecated: rename it"
                  + " otel.apigateway.logs.client.address.key.",
              "apigateway-otel: otel.apigateway.aws.role.external_id is deprecated: rename it"
                  + " otel.apigateway.aws.role.external.id.");
    }
    // the new key wins when both are set
    ApiGatewayConfig both =
        config(
            Map.of(
                "otel.apigateway.metrics.max_pending_points", "2000",
                "otel.apigateway.metrics.max.pending.points", "1000"));
    assertThat((Integer) setting(both, "maxPendingPoints")).isEqualTo(1000);
    // a bad value is named under the spelling the user wrote
    assertThatThrownBy(() -> config(Map.of("otel.apigateway.metrics.max_pending_points", "lots")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("otel.apigateway.metrics.max_pending_points=lots");
    assertThatThrownBy(() -> config(Map.of("otel.apigateway.metrics.max.pending.points", "lots")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("otel.apigateway.metrics.max.pending.points=lots");
  }

  @Test
  void aStateDirectoryThatIsAFileOrCannotBeCreatedFailsStartUp(@TempDir Path temp)
      throws Exception {
    Path file = java.nio.file.Files.writeString(temp.resolve("not-a-dir"), "x");
    assertThatThrownBy(() -> config(Map.of("otel.apigateway.state.dir", file.toString())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("otel.apigateway.state.dir");
    assertThatThrownBy(
            () -> config(Map.of("otel.apigateway.state.dir", file.resolve("below").toString())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("otel.apigateway.state.dir");
    Path missing = temp.resolve("a").resolve("b");
    assertThat(config(Map.of("otel.apigateway.state.dir", missing.toString())).stateDir())
        .contains(missing);
    assertThat(java.nio.file.Files.exists(missing)).isFalse(); // validated, not created
  }

  @Test
  void aFileSourceThatIsADirectoryFailsStartUp(@TempDir Path temp) {
    assertThatThrownBy(() -> config(Map.of("otel.apigateway.logs.source", "file:" + temp)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("otel.apigateway.logs.source");
  }

  @Test
  void anExternalIdWithoutARoleFailsStartUpNamingTheKeyNotTheValue() {
    for (String key :
        List.of("otel.apigateway.aws.role.external_id", "otel.apigateway.aws.role.external.id")) {
      assertThatThrownBy(() -> config(Map.of(key, "Ext3rnal-Secret-Id")))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining(key)
          .hasMessageContaining("otel.apigateway.aws.role.arn")
          .hasMessageNotContaining("Ext3rnal")
          .hasMessageNotContaining("Secret");
    }
  }

  @Test
  void secretKeysAreKnownInEverySpelling() {
    assertThat(
            List.of(
                "otel.apigateway.aws.role.external_id",
                "otel.apigateway.aws.role.external.id",
                "OTEL_APIGATEWAY_AWS_ROLE_EXTERNAL_ID",
                "otel.apigateway.logs.client_address.key",
                "otel.apigateway.logs.client.address.key",
                "OTEL_APIGATEWAY_LOGS_CLIENT_ADDRESS_KEY",
                "otel.exporter.otlp.headers",
                "otel.exporter.otlp.logs.headers",
                "OTEL_EXPORTER_OTLP_METRICS_HEADERS"))
        .allMatch(ApiGatewayConfig::isSecretKey);
    assertThat(
            List.of(
                "otel.apigateway.aws.role.arn",
                "otel.apigateway.logs.client_address",
                "otel.exporter.otlp.endpoint"))
        .noneMatch(ApiGatewayConfig::isSecretKey);
  }

  @Test
  void anEndpointWithUserInformationIsNotEchoedWithIt() {
    assertThatThrownBy(
            () -> config(Map.of("otel.apigateway.aws.endpoint", "ftp://user:Passw0rd@host/")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("otel.apigateway.aws.endpoint=ftp://<redacted>@host/")
        .hasMessageNotContaining("Passw0rd");
  }

  @Test
  void roleArnTakesOneRolePerAccountAndOneExternalIdForAll() {
    ApiGatewayConfig config =
        config(
            Map.of(
                "otel.apigateway.aws.role.arn",
                " arn:aws:iam::111111111111:role/reader , arn:aws-cn:iam::222222222222:role/path/reader",
                "otel.apigateway.aws.role.external.id",
                "ext"));
    assertThat(config.roleArns())
        .containsExactly(
            "arn:aws:iam::111111111111:role/reader",
            "arn:aws-cn:iam::222222222222:role/path/reader");
    assertThat(config.roleExternalId()).contains("ext");
    assertThat(config(Map.of()).roleArns()).isEmpty();
  }

  @Test
  void twoRolesInOneAccountFailStartUpNamingBoth() {
    assertThatThrownBy(
            () ->
                config(
                    Map.of(
                        "otel.apigateway.aws.role.arn",
                        "arn:aws:iam::111111111111:role/a,arn:aws:iam::111111111111:role/b")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("otel.apigateway.aws.role.arn")
        .hasMessageContaining("role/a")
        .hasMessageContaining("role/b")
        .hasMessageContaining("one role per account");
  }

  @Test
  void anAccountIdCannotNameSeveralRolesAccountsButNamesTheMonitoringAccount() {
    Map<String, String> twoRoles =
        Map.of(
            "otel.apigateway.aws.role.arn",
            "arn:aws:iam::111111111111:role/a,arn:aws:iam::222222222222:role/a",
            "otel.apigateway.aws.account.id",
            "333333333333");
    assertThatThrownBy(() -> config(twoRoles))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("otel.apigateway.aws.account.id=333333333333")
        .hasMessageContaining("otel.apigateway.aws.linked.accounts");
    Map<String, String> linked = new java.util.HashMap<>(twoRoles);
    linked.put("otel.apigateway.aws.linked.accounts", "TRUE");
    ApiGatewayConfig config = config(linked);
    assertThat(config.linkedAccounts()).isTrue();
    assertThat(config.accountId()).contains("333333333333");
    assertThat(config.roleArns()).hasSize(2);
  }

  @Test
  void eachRegionIsPolledOnce() {
    assertThat(config(Map.of("otel.apigateway.regions", "eu-west-1,us-east-1,eu-west-1")).regions())
        .containsExactly("eu-west-1", "us-east-1");
  }

  @Test
  void fileSourcesKeepTheirPath() {
    assertThat(config(Map.of("otel.apigateway.logs.source", "file:/var/log/x.log")).logSources())
        .containsExactly(new AccessLogLocation.File(Path.of("/var/log/x.log")));
    assertThat(config(Map.of("otel.apigateway.logs.source", "CloudWatch")).logSources())
        .containsExactly(new AccessLogLocation.CloudWatchLogs());
    assertThatThrownBy(() -> new AccessLogLocation.File(null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void clientAddressIsKeptByDefault() {
    assertThat(bridgeSetting(config(Map.of()), "clientAddressPolicy"))
        .isEqualTo(ClientAddressPolicy.keep());
  }

  @Test
  void clientAddressTruncateAndHashAreRead() {
    assertThat(
            bridgeSetting(
                config(Map.of("otel.apigateway.logs.client.address", "Truncate")),
                "clientAddressPolicy"))
        .isEqualTo(ClientAddressPolicy.truncate());
    assertThat(
            bridgeSetting(
                config(
                    Map.of(
                        "otel.apigateway.logs.client.address", "hash",
                        "otel.apigateway.logs.client.address.key", "k3y")),
                "clientAddressPolicy"))
        .isEqualTo(ClientAddressPolicy.hash("k3y".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void hashWithoutAKeyNamesTheKeyProperty() {
    assertThatThrownBy(() -> config(Map.of("otel.apigateway.logs.client.address", "hash")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("otel.apigateway.logs.client.address.key");
  }

  @Test
  void anUnknownClientAddressModeNamesTheProperty() {
    assertThatThrownBy(() -> config(Map.of("otel.apigateway.logs.client.address", "mask")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("otel.apigateway.logs.client.address=mask")
        .hasMessageContaining("keep, truncate, hash");
  }
}
