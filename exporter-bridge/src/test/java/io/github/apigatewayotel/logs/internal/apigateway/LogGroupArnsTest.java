package io.github.apigatewayotel.logs.internal.apigateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogGroupArnsTest {

  @Test
  void readsTheGroupNameWithOrWithoutTheTrailingWildcard() {
    assertThat(
            LogGroupArns.logGroupName(
                "arn:aws:logs:eu-west-1:123456789012:log-group:api-gateway-pets"))
        .isEqualTo("api-gateway-pets");
    assertThat(
            LogGroupArns.logGroupName("arn:aws:logs:eu-west-1:123456789012:log-group:/aws/api/x:*"))
        .isEqualTo("/aws/api/x");
    assertThat(
            LogGroupArns.logGroupName("arn:aws-cn:logs:cn-north-1:123456789012:log-group:g#1.a_b"))
        .isEqualTo("g#1.a_b");
  }

  @Test
  void otherDestinationsAndMalformedArnsNameNoGroup() {
    assertThat(
            LogGroupArns.logGroupName(
                "arn:aws:firehose:eu-west-1:123456789012:deliverystream/amazon-apigateway-x"))
        .isNull();
    assertThat(LogGroupArns.logGroupName("arn:aws:logs:eu-west-1:123456789012:log-group:"))
        .isNull();
    assertThat(
            LogGroupArns.logGroupName(
                "arn:aws:logs:eu-west-1:123456789012:log-group:g:log-stream:s"))
        .isNull();
    assertThat(LogGroupArns.logGroupName("api-gateway-pets")).isNull();
    assertThat(LogGroupArns.logGroupName(null)).isNull();
  }
}
