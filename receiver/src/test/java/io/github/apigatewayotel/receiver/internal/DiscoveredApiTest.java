package io.github.apigatewayotel.receiver.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DiscoveredApiTest {

  @Test
  void arnsUseTheRegionsPartition() {
    assertThat(
            new DiscoveredApi("eu-west-1", ApiType.REST, "a1", "pets", "pets", Map.of())
                .stageArn("prod"))
        .isEqualTo("arn:aws:apigateway:eu-west-1::/restapis/a1/stages/prod");
    assertThat(
            new DiscoveredApi("cn-north-1", ApiType.HTTP, "h1", "shop", "shop", Map.of())
                .stageArn("$default"))
        .isEqualTo("arn:aws-cn:apigateway:cn-north-1::/apis/h1/stages/$default");
    assertThat(
            new DiscoveredApi("us-gov-west-1", ApiType.WEBSOCKET, "w1", "chat", "chat", Map.of())
                .arn())
        .isEqualTo("arn:aws-us-gov:apigateway:us-gov-west-1::/apis/w1");
  }
}
