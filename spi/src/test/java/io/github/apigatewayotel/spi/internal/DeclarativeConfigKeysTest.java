package io.github.apigatewayotel.spi.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeclarativeConfigKeysTest {

  @Test
  void nestedAndDottedKeysAndListsBecomeTheProperties() {
    Map<String, Object> block = new LinkedHashMap<>();
    block.put("exporter", Map.of("otlp_http", Map.of()));
    block.put("regions", List.of("us-east-1", "eu-west-1"));
    block.put("metrics", Map.of("period", "5m", "enabled", true));
    block.put("logs.source", "cloudwatch");
    block.put("state", null);

    assertThat(DeclarativeConfigKeys.toProperties(block, List.of("exporter")))
        .containsOnly(
            Map.entry("otel.apigateway.regions", "us-east-1,eu-west-1"),
            Map.entry("otel.apigateway.metrics.period", "5m"),
            Map.entry("otel.apigateway.metrics.enabled", "true"),
            Map.entry("otel.apigateway.logs.source", "cloudwatch"));
  }

  @Test
  void aListOfMappingsIsRefusedNamingItsKey() {
    assertThatThrownBy(
            () ->
                DeclarativeConfigKeys.toProperties(
                    Map.of("regions", List.of(Map.of("name", "us-east-1"))), List.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("otel.apigateway.regions");
  }
}
