package io.github.apigatewayotel.logs.internal.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {

  @Test
  void doublesUpToTheBoundAndResetsOnSuccess() {
    RetryBackoff backoff = new RetryBackoff(() -> 0.0);
    assertThat(backoff.failed(0)).isEqualTo(RetryBackoff.BASE_DELAY);
    assertThat(backoff.failed(0)).isEqualTo(RetryBackoff.BASE_DELAY.multipliedBy(2));
    for (int i = 0; i < 100; i++) {
      backoff.failed(0);
    }
    assertThat(backoff.failed(1_000)).isEqualTo(RetryBackoff.MAX_DELAY);
    assertThat(backoff.mayTry(1_000 + RetryBackoff.MAX_DELAY.toMillis() - 1)).isFalse();
    assertThat(backoff.mayTry(1_000 + RetryBackoff.MAX_DELAY.toMillis())).isTrue();

    backoff.succeeded();
    assertThat(backoff.mayTry(0)).isTrue();
    assertThat(backoff.failed(0)).isEqualTo(RetryBackoff.BASE_DELAY);
  }

  @Test
  void jitterShortensTheDelayByAtMostHalf() {
    RetryBackoff backoff = new RetryBackoff(() -> 0.999);
    Duration delay = backoff.failed(0);
    assertThat(delay).isLessThan(RetryBackoff.BASE_DELAY);
    assertThat(delay).isGreaterThanOrEqualTo(RetryBackoff.BASE_DELAY.dividedBy(2));
  }
}
