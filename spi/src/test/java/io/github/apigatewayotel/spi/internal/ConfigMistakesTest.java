package io.github.apigatewayotel.spi.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.apigatewayotel.testing.logging.CapturedLogs;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A user's mistakes in the plugin's properties: each named, with what was meant, never ignored. */
class ConfigMistakesTest {

  private static ApiGatewayConfig config(Map<String, String> properties) {
    return ApiGatewayConfig.fromConfig(DefaultConfigProperties.createFromMap(properties));
  }

  @Test
  void aPeriodLongerThanTheDefaultLookbackIsReportedAsThePeriodTheUserSetInTheirUnits() {
    assertThatThrownBy(() -> config(Map.of("otel.apigateway.metrics.period", "1h")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("Invalid value for property otel.apigateway.metrics.period=1h")
        .hasMessageContaining("otel.apigateway.metrics.lookback (10m by default)")
        .hasMessageNotContaining("null")
        .hasMessageNotContaining("PT");
  }

  @Test
  void aLookbackShorterThanThePeriodIsReportedAsTheLookbackInTheUsersUnits() {
    assertThatThrownBy(
            () ->
                config(
                    Map.of(
                        "otel.apigateway.metrics.period", "10m",
                        "otel.apigateway.metrics.lookback", "5m")))
        .hasMessageStartingWith("Invalid value for property otel.apigateway.metrics.lookback=5m")
        .hasMessageContaining("at least otel.apigateway.metrics.period (10m)")
        .hasMessageNotContaining("PT");
  }

  @Test
  void aMisspelledFormatNameListsTheValidNames() {
    assertThatThrownBy(() -> config(Map.of("otel.apigateway.logs.format", "jsn")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("otel.apigateway.logs.format=jsn")
        .hasMessageContaining("[json, clf, csv, xml, aws-json, auto] (did you mean json?)");
  }

  @Test
  void aFormatWithAVariableApiGatewayDoesNotDocumentIsUsedAndNamedAtStartUp() {
    try (CapturedLogs logs = CapturedLogs.of("io.github.apigatewayotel.spi")) {
      ApiGatewayConfig config =
          config(Map.of("otel.apigateway.logs.format", "$context.requestIdd $context.status"));

      assertThat(ApiGatewayConfigTest.bridgeFormat(config).variables())
          .contains("context.requestIdd");
      assertThat(logs.warnings())
          .singleElement()
          .asString()
          .contains(
              "otel.apigateway.logs.format",
              "$context.requestIdd (did you mean $context.requestId?)");
    }
  }

  @Test
  void unknownKeysAreNamedWithTheNearestKnownOneWhereverTheyAreSet(@TempDir Path dir)
      throws Exception {
    Set<String> known = ApiGatewayConfig.KnownKeys.ALL;
    Path agentFile =
        Files.writeString(
            dir.resolve("agent.properties"),
            "otel.apigateway.metrics.intervall=30s\notel.service.name=x\n");

    List<UnknownPropertyKeys.Unknown> unknown =
        UnknownPropertyKeys.find(
            known,
            Map.of(
                "otel.apigateway.logs.sources", "file:/tmp/x.log",
                "otel.apigateway.region", "us-east-1",
                "otel.apigateway.logs.format", "json",
                "otel.service.name", "app"),
            Map.of(
                "OTEL_APIGATEWAY_METRICS_PERIODE", "5m",
                // the environment spelling of an underscore key is the plugin's own
                "OTEL_APIGATEWAY_METRICS_MAX_PENDING_POINTS", "10000",
                "PATH", "/bin"),
            UnknownPropertyKeys.agentConfigurationFile(
                Map.of(UnknownPropertyKeys.AGENT_FILE_PROPERTY, agentFile.toString()), Map.of()));

    assertThat(unknown)
        .extracting(UnknownPropertyKeys.Unknown::message)
        .containsExactly(
            "apigateway-otel: otel.apigateway.logs.sources (a system property) is not an apigateway-otel"
                + " property and is ignored; did you mean otel.apigateway.logs.source? (every property"
                + " is in docs/configuration.md)",
            "apigateway-otel: otel.apigateway.region (a system property) is not an apigateway-otel"
                + " property and is ignored; did you mean otel.apigateway.regions? (every property is"
                + " in docs/configuration.md)",
            "apigateway-otel: otel.apigateway.metrics.intervall (in the Java agent's configuration file)"
                + " is not an apigateway-otel property and is ignored; did you mean"
                + " otel.apigateway.metrics.interval? (every property is in docs/configuration.md)",
            "apigateway-otel: OTEL_APIGATEWAY_METRICS_PERIODE (an environment variable, read as"
                + " otel.apigateway.metrics.periode) is not an apigateway-otel property and is ignored;"
                + " did you mean OTEL_APIGATEWAY_METRICS_PERIOD? (every property is in"
                + " docs/configuration.md)");
  }

  @Test
  void aMisspelledSystemPropertyIsNamedOnceWhenThePluginReadsItsConfiguration() {
    String key = "otel.apigateway.logs.sources";
    System.setProperty(key, "file:/tmp/x.log");
    try (CapturedLogs logs = CapturedLogs.of("io.github.apigatewayotel.spi")) {
      config(Map.of());
      assertThat(logs.warnings())
          .singleElement()
          .asString()
          .contains(key, "did you mean otel.apigateway.logs.source?");
    } finally {
      System.clearProperty(key);
    }
  }

  @Test
  void everyDeclaredKeyIsReadFromAnEmptyConfigurationSoItCountsAsKnown() throws Exception {
    List<String> declared = new ArrayList<>();
    for (Field field : ApiGatewayConfig.class.getDeclaredFields()) {
      if (Modifier.isStatic(field.getModifiers())
          && field.getType() == String.class
          && Modifier.isFinal(field.getModifiers())) {
        field.setAccessible(true);
        String value = (String) field.get(null);
        if (value.startsWith(UnknownPropertyKeys.PREFIX)) {
          declared.add(value);
        }
      }
    }
    assertThat(declared).hasSizeGreaterThan(30);
    assertThat(ApiGatewayConfig.KnownKeys.ALL).containsAll(declared);
  }
}
