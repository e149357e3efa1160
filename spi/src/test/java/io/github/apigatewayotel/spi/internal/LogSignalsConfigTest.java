package io.github.apigatewayotel.spi.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.apigatewayotel.logs.RequestMetrics;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The keys of request metrics from access logs and of execution logs. */
class LogSignalsConfigTest {

  private static LogSignalsConfig signals(Map<String, String> properties) {
    return ApiGatewayConfig.fromConfig(DefaultConfigProperties.createFromMap(properties))
        .logSignals();
  }

  /** A setting of the request metrics' builder once the configuration is applied onto it. */
  private static Object requestMetricsSetting(LogSignalsConfig signals, String field) {
    RequestMetrics.Builder builder = RequestMetrics.builder();
    signals.applyTo(builder);
    try {
      java.lang.reflect.Field declared = builder.getClass().getDeclaredField(field);
      declared.setAccessible(true);
      return declared.get(builder);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(field, e);
    }
  }

  @Test
  void requestMetricsAreOnAndExecutionLogsOffByDefault() {
    LogSignalsConfig signals = signals(Map.of());
    assertThat(signals.requestMetrics()).isTrue();
    assertThat(requestMetricsSetting(signals, "gracePeriod")).isEqualTo(Duration.ofMinutes(3));
    assertThat(requestMetricsSetting(signals, "maxSeriesPerStage")).isEqualTo(1_000);
    assertThat(signals.executionLogs()).isFalse();
    assertThat(signals.executionLogGroupPrefixes()).containsExactly("API-Gateway-Execution-Logs_");
  }

  @Test
  void readsEveryKey() {
    LogSignalsConfig signals =
        signals(
            Map.of(
                "otel.apigateway.logs.metrics.enabled",
                "false",
                "otel.apigateway.logs.metrics.grace",
                "90s",
                "otel.apigateway.logs.metrics.max.series.per.stage",
                "50",
                "otel.apigateway.logs.execution.enabled",
                "true",
                "otel.apigateway.logs.execution.group.prefixes",
                "API-Gateway-Execution-Logs_a1b2c3d4e5/,API-Gateway-Execution-Logs_w5s5k5t5c5/"));
    assertThat(signals.requestMetrics()).isFalse();
    assertThat(requestMetricsSetting(signals, "gracePeriod")).isEqualTo(Duration.ofSeconds(90));
    assertThat(requestMetricsSetting(signals, "maxSeriesPerStage")).isEqualTo(50);
    assertThat(signals.executionLogs()).isTrue();
    assertThat(signals.executionLogGroupPrefixes())
        .isEqualTo(
            List.of(
                "API-Gateway-Execution-Logs_a1b2c3d4e5/",
                "API-Gateway-Execution-Logs_w5s5k5t5c5/"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "otel.apigateway.logs.metrics.enabled|maybe",
        "otel.apigateway.logs.metrics.grace|-1m",
        "otel.apigateway.logs.metrics.grace|2d",
        "otel.apigateway.logs.metrics.grace|soon",
        "otel.apigateway.logs.metrics.max.series.per.stage|0",
        "otel.apigateway.logs.metrics.max.series.per.stage|many",
        "otel.apigateway.logs.execution.enabled|yes",
      })
  void aBadValueFailsNamingTheKey(String key, String value) {
    assertThatThrownBy(() -> signals(Map.of(key, value)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(key);
  }

  @Test
  void executionLogsNeedTheCloudWatchSource() {
    assertThatThrownBy(
            () ->
                signals(
                    Map.of(
                        "otel.apigateway.logs.execution.enabled", "true",
                        "otel.apigateway.logs.source", "file:/var/log/access.log")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("otel.apigateway.logs.execution.enabled")
        .hasMessageContaining("cloudwatch");
  }
}
