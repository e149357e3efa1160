package io.github.apigatewayotel.receiver.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

class PageTokensTest {

  @Test
  void aListingEndsOnANullOrEmptyToken() {
    PageTokens tokens = new PageTokens("cloudwatch:ListMetrics");
    assertThat(tokens.next("a")).isEqualTo("a");
    assertThat(tokens.next("b")).isEqualTo("b");
    assertThat(tokens.next(null)).isNull();
    assertThat(new PageTokens("x").next("")).isNull();
  }

  @Test
  void aTokenGivenTwiceStopsTheListingAsAnUnreadableAnswer() {
    PageTokens tokens = new PageTokens("cloudwatch:ListMetrics");
    tokens.next("a");
    tokens.next("b");
    assertThatThrownBy(() -> tokens.next("a"))
        .isInstanceOf(SdkClientException.class)
        .hasMessageContaining("cloudwatch:ListMetrics");
  }
}
