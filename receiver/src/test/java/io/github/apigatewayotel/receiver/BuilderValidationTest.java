package io.github.apigatewayotel.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad configuration fails at build time, naming what is wrong. */
class BuilderValidationTest {

  @Test
  void regionsAreRequiredAndChecked() {
    assertThatThrownBy(() -> ApiGatewayMetricsReceiver.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("regions");
    assertThatThrownBy(() -> ApiGatewayMetricsReceiver.builder().addRegion("Ireland"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("region")
        .hasMessageContaining("Ireland");
    assertThatThrownBy(() -> ApiGatewayMetricsReceiver.builder().regions(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("regions");
  }

  @Test
  void durationsAreChecked() {
    var builder = ApiGatewayMetricsReceiver.builder();
    assertThatThrownBy(() -> builder.period(Duration.ofSeconds(30))).hasMessageContaining("period");
    assertThatThrownBy(() -> builder.period(Duration.ofSeconds(90))).hasMessageContaining("period");
    assertThatThrownBy(() -> builder.delay(Duration.ofSeconds(-1))).hasMessageContaining("delay");
    assertThatThrownBy(() -> builder.pollInterval(Duration.ZERO))
        .hasMessageContaining("pollInterval");
    assertThatThrownBy(() -> builder.discoveryInterval(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("discoveryInterval");
    assertThatThrownBy(
            () ->
                ApiGatewayMetricsReceiver.builder()
                    .addRegion("us-east-1")
                    .period(Duration.ofMinutes(5))
                    .lookback(Duration.ofMinutes(2))
                    .build())
        .hasMessageContaining("lookback");
    assertThatThrownBy(() -> builder.retries(0, Duration.ofMillis(1), Duration.ofMillis(2)))
        .hasMessageContaining("maxAttempts");
    // a poll reads at most 200 periods back: a longer interval would lose periods every poll
    assertThatThrownBy(
            () ->
                ApiGatewayMetricsReceiver.builder()
                    .addRegion("us-east-1")
                    .pollInterval(Duration.ofMinutes(201))
                    .build())
        .hasMessageContaining("pollInterval")
        .hasMessageContaining("200 periods");
    ApiGatewayMetricsReceiver.builder()
        .addRegion("us-east-1")
        .pollInterval(Duration.ofMinutes(200))
        .build()
        .close();
  }

  @Test
  void costSettingsAreChecked() {
    var builder = ApiGatewayMetricsReceiver.builder();
    assertThatThrownBy(() -> builder.pricePerThousandMetricRequests(-0.01))
        .hasMessageContaining("pricePerThousandMetricRequests");
    assertThatThrownBy(() -> builder.pricePerThousandMetricRequests(Double.NaN))
        .hasMessageContaining("pricePerThousandMetricRequests");
    assertThatThrownBy(() -> builder.statistics(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("statistics");
    assertThat(ApiGatewayMetricsReceiver.DEFAULT_POLL_INTERVAL).isEqualTo(Duration.ofMinutes(5));
    assertThat(CloudWatchCost.DEFAULT_PRICE_PER_THOUSAND_METRIC_REQUESTS).isEqualTo(0.01);
  }

  @Test
  void identitiesAreChecked() {
    var builder = ApiGatewayMetricsReceiver.builder();
    assertThatThrownBy(() -> builder.roleArn("arn:aws:iam::123:role/x"))
        .hasMessageContaining("roleArn");
    assertThatThrownBy(() -> builder.accountId("12345")).hasMessageContaining("accountId");
    assertThatThrownBy(() -> builder.endpointOverride(URI.create("localhost")))
        .hasMessageContaining("endpointOverride");
    assertThatThrownBy(() -> builder.includeApi(" ")).hasMessageContaining("includeApi");
    assertThatThrownBy(() -> builder.includeTag("team", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("includeTag value");
  }

  @Test
  void rolesAreOnePerAccountAndAnAccountIdNamesOnlyOne() {
    var builder = ApiGatewayMetricsReceiver.builder().addRegion("us-east-1");
    assertThatThrownBy(
            () ->
                builder.roleArns(
                    List.of(
                        "arn:aws:iam::111111111111:role/a", "arn:aws:iam::111111111111:role/b")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("role/a")
        .hasMessageContaining("role/b")
        .hasMessageContaining("same account");
    List<String> two =
        List.of("arn:aws:iam::111111111111:role/a", "arn:aws:iam::222222222222:role/a");
    assertThatThrownBy(
            () ->
                ApiGatewayMetricsReceiver.builder()
                    .addRegion("us-east-1")
                    .roleArns(two)
                    .accountId("333333333333")
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("accountId");
    // with linked accounts the account id names the monitoring account, the roles only discover
    ApiGatewayMetricsReceiver.builder()
        .addRegion("us-east-1")
        .roleArns(two)
        .linkedAccounts(true)
        .accountId("333333333333")
        .endpointOverride(URI.create("http://127.0.0.1:9"))
        .build()
        .close();
  }

  @Test
  void aValidReceiverBuildsWithoutTouchingAwsAndCostsNothingBeforeDiscovery() {
    try (var receiver =
        ApiGatewayMetricsReceiver.builder()
            .regions(List.of("us-east-1", "eu-west-1"))
            .endpointOverride(URI.create("http://127.0.0.1:9"))
            .build()) {
      assertThat(receiver.queriesPerPoll()).isZero();
      assertThat(receiver.getMetricDataCallsPerPoll()).isZero();
    }
  }
}
