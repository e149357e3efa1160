package io.github.apigatewayotel.spi.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.apigatewayotel.logs.ClientAddressPolicy;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiGatewayConfigTest {

  private static ApiGatewayConfig config(Map<String, String> properties) {
    return ApiGatewayConfig.fromConfig(DefaultConfigProperties.createFromMap(properties));
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
    assertThat(config.metricsPeriod()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.tagsPrefix()).isEqualTo("aws.tag.");
    assertThat(config.logSources()).containsExactly(new ApiGatewayConfig.LogSource(null));
    assertThat(config.logGroupPrefixes()).containsExactly("api-gateway");
    assertThat(config.logsLookback()).isEqualTo(Duration.ofMinutes(15));
    assertThat(config.logsFormat().variables()).contains("context.requestTimeEpoch");
    assertThat(config.logsFormatAuto()).isFalse();
    assertThat(config.exportConfirm()).isTrue();
    assertThat(config.metricsMaxPendingPoints()).isEqualTo(4_000_000);
    assertThat(config.metricsExportMaxPoints()).isEqualTo(5_000);
    assertThat(config.metricsTransport())
        .isEqualTo(io.github.apigatewayotel.receiver.ApiGatewayMetricsReceiver.GetMetricDataTransport.LEAN);
    // The OTLP exporter's default preference is cumulative.
    assertThat(config.temporality()).isEqualTo(ApiGatewayConfig.Temporality.CUMULATIVE);
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
                Map.entry("otel.apigateway.aws.role.external_id", "ext"),
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
    assertThat(config.roleArn()).contains("arn:aws:iam::123456789012:role/reader");
    assertThat(config.roleExternalId()).contains("ext");
    assertThat(config.accountId()).contains("123456789012");
    assertThat(config.stateDir()).contains(Path.of(stateDir));
    assertThat(config.metricsPeriod()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.metricsDelay()).isZero();
    assertThat(config.metricsInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.temporality()).isEqualTo(ApiGatewayConfig.Temporality.DELTA);
    assertThat(config.discoveryInterval()).isEqualTo(Duration.ofHours(1));
    assertThat(config.apisInclude()).containsExactly("orders", "pets");
    assertThat(config.apisExclude()).containsExactly("legacy");
    assertThat(config.apisIncludeTags()).containsEntry("team", "payments");
    assertThat(config.apisExcludeTags()).containsEntry("env", "dev");
    assertThat(config.metricsLookback()).isEqualTo(Duration.ofHours(1));
    assertThat(config.metricsDetailed()).isFalse();
    assertThat(config.metricsConcurrency()).isEqualTo(8);
    assertThat(config.tagsPrefix()).isEmpty();
    assertThat(config.logSources())
        .containsExactly(
            new ApiGatewayConfig.LogSource(null),
            new ApiGatewayConfig.LogSource(Path.of("/tmp/a.log")));
    assertThat(config.logsFormat().template()).contains("$context.requestTime");
    assertThat(config.logsFormatAuto()).isFalse();
    assertThat(config.logsLookback()).isEqualTo(Duration.ofHours(2));
    assertThat(config.logGroups()).containsExactly("api-gateway-prod");
    assertThat(config.logGroupPrefixes()).isEmpty();
    assertThat(config.logsInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.logsOverlap()).isEqualTo(Duration.ofMinutes(1));
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
        "otel.apigateway.metrics.max_pending_points|10",
        "otel.apigateway.metrics.max_pending_points|lots",
        "otel.apigateway.export.confirm|sometimes",
      })
  void aBadValueFailsNamingTheKey(String key, String value) {
    assertThatThrownBy(() -> config(Map.of(key, value)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(key);
  }

  @ParameterizedTest
  @CsvSource({"auto", "AUTO", "' Auto '"})
  void autoFormatIsCaseInsensitiveAndFallsBackToTheSeedsJson(String value) {
    ApiGatewayConfig config = config(Map.of("otel.apigateway.logs.format", value));
    assertThat(config.logsFormatAuto()).isTrue();
    assertThat(config.logsFormat().template())
        .isEqualTo(io.github.apigatewayotel.logs.AccessLogFormat.defaultFormat().template());
  }

  @ParameterizedTest
  @CsvSource({"file:/var/log/x.log", "'cloudwatch,file:/var/log/x.log'"})
  void autoFormatWithAFileSourceFailsNamingTheFormatKey(String sources) {
    assertThatThrownBy(
            () ->
                config(
                    Map.of(
                        "otel.apigateway.logs.format", "auto",
                        "otel.apigateway.logs.source", sources)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("otel.apigateway.logs.format")
        .hasMessageContaining("otel.apigateway.logs.source");
  }

  @Test
  void exportMaxPointsTakesAWholeNumberFrom100() {
    assertThat(config(Map.of("otel.apigateway.metrics.export.max.points", "2000")).metricsExportMaxPoints())
        .isEqualTo(2000);
    assertThatThrownBy(() -> config(Map.of("otel.apigateway.metrics.export.max.points", "99")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("otel.apigateway.metrics.export.max.points")
        .hasMessageContaining("99");
  }

  @Test
  void keysWithUnderscoresAreReadFromTheirEnvironmentVariableForm() {
    // OTEL_APIGATEWAY_METRICS_MAX_PENDING_POINTS reaches the config as ...max.pending.points
    ApiGatewayConfig config =
        config(
            Map.of(
                "otel.apigateway.metrics.max.pending.points", "1000",
                "otel.apigateway.logs.client.address", "truncate",
                "otel.apigateway.aws.role.arn", "arn:aws:iam::123456789012:role/reader",
                "otel.apigateway.aws.role.external.id", "ext"));
    assertThat(config.metricsMaxPendingPoints()).isEqualTo(1000);
    assertThat(config.clientAddressPolicy()).isEqualTo(ClientAddressPolicy.truncate());
    assertThat(config.roleExternalId()).contains("ext");
    // the key as documented wins when both are set
    assertThat(
            config(
                    Map.of(
                        "otel.apigateway.metrics.max_pending_points", "2000",
                        "otel.apigateway.metrics.max.pending.points", "1000"))
                .metricsMaxPendingPoints())
        .isEqualTo(2000);
    assertThatThrownBy(() -> config(Map.of("otel.apigateway.metrics.max.pending.points", "lots")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("otel.apigateway.metrics.max_pending_points");
  }

  @Test
  void aStateDirectoryThatIsAFileOrCannotBeCreatedFailsStartUp(@TempDir Path temp) throws Exception {
    Path file = java.nio.file.Files.writeString(temp.resolve("not-a-dir"), "x");
    assertThatThrownBy(() -> config(Map.of("otel.apigateway.state.dir", file.toString())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("otel.apigateway.state.dir");
    assertThatThrownBy(() -> config(Map.of("otel.apigateway.state.dir", file.resolve("below").toString())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("otel.apigateway.state.dir");
    Path missing = temp.resolve("a").resolve("b");
    assertThat(config(Map.of("otel.apigateway.state.dir", missing.toString())).stateDir()).contains(missing);
    assertThat(java.nio.file.Files.exists(missing)).isFalse(); // validated, not created
  }

  @Test
  void aFileSourceThatIsADirectoryFailsStartUp(@TempDir Path temp) {
    assertThatThrownBy(() -> config(Map.of("otel.apigateway.logs.source", "file:" + temp)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("otel.apigateway.logs.source");
  }

  @Test
  void anExternalIdWithoutARoleFailsStartUp() {
    assertThatThrownBy(() -> config(Map.of("otel.apigateway.aws.role.external_id", "ext")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("otel.apigateway.aws.role.external_id")
        .hasMessageContaining("otel.apigateway.aws.role.arn");
  }

  @Test
  void eachRegionIsPolledOnce() {
    assertThat(config(Map.of("otel.apigateway.regions", "eu-west-1,us-east-1,eu-west-1")).regions())
        .containsExactly("eu-west-1", "us-east-1");
  }

  @Test
  void fileSourcesKeepTheirPath() {
    assertThat(config(Map.of("otel.apigateway.logs.source", "file:/var/log/x.log")).logSources())
        .extracting(ApiGatewayConfig.LogSource::file)
        .containsExactly(Path.of("/var/log/x.log"));
    assertThat(List.of(new ApiGatewayConfig.LogSource(null))).allMatch(ApiGatewayConfig.LogSource::isCloudWatch);
  }

  @Test
  void clientAddressIsKeptByDefault() {
    assertThat(config(Map.of()).clientAddressPolicy()).isEqualTo(ClientAddressPolicy.keep());
  }

  @Test
  void clientAddressTruncateAndHashAreRead() {
    assertThat(
            config(Map.of("otel.apigateway.logs.client_address", "Truncate"))
                .clientAddressPolicy())
        .isEqualTo(ClientAddressPolicy.truncate());
    assertThat(
            config(
                    Map.of(
                        "otel.apigateway.logs.client_address", "hash",
                        "otel.apigateway.logs.client_address.key", "k3y"))
                .clientAddressPolicy())
        .isEqualTo(ClientAddressPolicy.hash("k3y".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void hashWithoutAKeyNamesTheKeyProperty() {
    assertThatThrownBy(() -> config(Map.of("otel.apigateway.logs.client_address", "hash")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("otel.apigateway.logs.client_address.key");
  }

  @Test
  void anUnknownClientAddressModeNamesTheProperty() {
    assertThatThrownBy(() -> config(Map.of("otel.apigateway.logs.client_address", "mask")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("otel.apigateway.logs.client_address=mask")
        .hasMessageContaining("keep, truncate, hash");
  }
}
