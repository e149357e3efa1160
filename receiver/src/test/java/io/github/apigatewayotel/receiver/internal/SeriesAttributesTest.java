package io.github.apigatewayotel.receiver.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Dimension sets the simulated account does not produce, checked directly. */
class SeriesAttributesTest {

  private final SeriesAttributes attributes = new SeriesAttributes("aws.tag.");

  @Test
  void webSocketMethodResourceSeriesNameTheRouteNotAnHttpRoute() {
    DiscoveredApi ws =
        new DiscoveredApi("us-east-1", ApiType.WEBSOCKET, "abc123", "chat", "chat", Map.of());
    Attributes a =
        attributes.build(
            "123456789012",
            "us-east-1",
            ws,
            Map.of("ApiId", "abc123", "Method", "GET", "Resource", "$connect", "Stage", "prod"),
            Map.of());
    assertThat(a.get(AttributeKey.stringKey("aws.apigateway.route_key"))).isEqualTo("$connect");
    assertThat(a.get(AttributeKey.stringKey("http.route"))).isNull();
    assertThat(a.get(AttributeKey.stringKey("http.request.method"))).isNull();
    assertThat(a.get(AttributeKey.stringKey("cloud.resource_id")))
        .isEqualTo("arn:aws:apigateway:us-east-1::/apis/abc123/stages/prod");
  }

  @Test
  void httpDefaultRouteKeepsItsKeyWithoutInventingAMethod() {
    DiscoveredApi http =
        new DiscoveredApi("us-east-1", ApiType.HTTP, "h1", "web", "web", Map.of("team", "a"));
    Attributes a =
        attributes.build(
            "123456789012",
            "us-east-1",
            http,
            Map.of("ApiId", "h1", "Route", "$default", "Stage", "$default"),
            Map.of("team", "a"));
    assertThat(a.get(AttributeKey.stringKey("aws.apigateway.route_key"))).isEqualTo("$default");
    assertThat(a.get(AttributeKey.stringKey("http.request.method"))).isNull();
    assertThat(a.get(AttributeKey.stringKey("aws.tag.team"))).isEqualTo("a");
  }

  @Test
  void restApiNamesLoseNonAsciiCharactersAsCloudWatchDoes() {
    assertThat(DiscoveredApi.cloudWatchName("주문-API", "id1")).isEqualTo("-API");
    assertThat(DiscoveredApi.cloudWatchName("決済", "id2")).isEqualTo("id2");
    assertThat(DiscoveredApi.cloudWatchName("pets", "id3")).isEqualTo("pets");
  }
}
