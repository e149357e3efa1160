package io.github.apigatewayotel.spi.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.apigatewayotel.state.fleet.Fleet;
import io.github.apigatewayotel.testing.dynamodb.DynaliteExtension;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code otel.apigateway.coordination} and its endpoint, read and applied onto a fleet against
 * dynalite.
 */
class FleetCoordinationTest {

  @RegisterExtension static final DynaliteExtension DYNAMODB = new DynaliteExtension();

  private static ApiGatewayConfig config(Map<String, String> properties) {
    Map<String, String> all = new HashMap<>(Map.of(ApiGatewayConfig.REGIONS, "eu-west-1"));
    all.putAll(properties);
    return ApiGatewayConfig.fromConfig(DefaultConfigProperties.createFromMap(all));
  }

  @Test
  void noneByDefault() {
    ApiGatewayConfig config = config(Map.of());
    assertThat(config.coordination().enabled()).isFalse();
    assertThat(config.coordination().fleet(config)).isEmpty();
    assertThat(config(Map.of(FleetCoordination.COORDINATION, "none")).coordination().enabled())
        .isFalse();
  }

  @Test
  void mistakesNameTheKeyTheValueAndTheFix() {
    assertThatThrownBy(() -> config(Map.of(FleetCoordination.COORDINATION, "dynamo:fleet")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("otel.apigateway.coordination=dynamo:fleet")
        .hasMessageContaining("dynamodb:TABLE");
    assertThatThrownBy(() -> config(Map.of(FleetCoordination.COORDINATION, "dynamodb:a")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("3 to 255");
    assertThatThrownBy(() -> config(Map.of(FleetCoordination.ENDPOINT, "http://127.0.0.1:8000")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("otel.apigateway.coordination.endpoint")
        .hasMessageContaining("is none");
    assertThatThrownBy(
            () ->
                config(
                    Map.of(
                        FleetCoordination.COORDINATION,
                        "dynamodb:fleet",
                        FleetCoordination.ENDPOINT,
                        "not a url")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("a URL");
    assertThatThrownBy(
            () ->
                config(
                    Map.of(
                        FleetCoordination.COORDINATION,
                        "dynamodb:fleet",
                        ApiGatewayConfig.MODE,
                        "once")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("none in otel.apigateway.mode=once");
  }

  @Test
  void dynamodbTableOpensOneFleetOnTheEndpointCreatingTheTable() {
    String before = System.getProperty("aws.accessKeyId");
    System.setProperty("aws.accessKeyId", "test");
    System.setProperty("aws.secretAccessKey", "test");
    ApiGatewayConfig config =
        config(
            Map.of(
                FleetCoordination.COORDINATION,
                "dynamodb:apigateway-otel-fleet",
                FleetCoordination.ENDPOINT,
                DYNAMODB.endpoint().toString()));
    try (FleetCoordination coordination = config.coordination()) {
      Fleet fleet = coordination.fleet(config).orElseThrow();
      assertThat(coordination.fleet(config)).containsSame(fleet); // one for metrics and logs
      fleet.register(() -> List.of("metrics|123456789012|eu-west-1"));
      fleet.cycle();
      assertThat(fleet.problem()).isNull();
      assertThat(fleet.lease("metrics|123456789012|eu-west-1")).isPresent();
      assertThat(fleet.tableName()).isEqualTo("apigateway-otel-fleet");
    } finally {
      if (before == null) {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
      }
    }
  }
}
