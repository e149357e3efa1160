package io.github.apigatewayotel.receiver.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.testing.aws.ApiGatewaySimulator;
import io.github.apigatewayotel.testing.aws.AwsFaultResponses;
import io.github.apigatewayotel.testing.aws.FakeAwsServer;
import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import io.github.apigatewayotel.testing.aws.TaggingSimulator;
import io.opentelemetry.api.metrics.MeterProvider;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The Resource Groups Tagging API client is pinned at 2.40.2 (the newest served here) while the
 * rest of the SDK, its core included, is 2.59.1: under that core it still pages through
 * tag:GetResources, its throttling error is still throttling (retried), and every stage's tags
 * arrive.
 */
class PinnedTaggingClientTest {

  static final String REGION = "eu-west-1";

  @Test
  void pagesThroughEveryStagesTagsAndRetriesThrottling() throws Exception {
    // 150 tagged APIs, each with a tagged first stage: 300 resources, 3 pages of 100
    SimulatedAccount account =
        new SimulatedAccount("123456789012", 7).addGeneratedApis(REGION, 150, 2, 0);
    AtomicInteger throttled = new AtomicInteger();
    try (FakeAwsServer aws =
            FakeAwsServer.start()
                .register(new ApiGatewaySimulator(account))
                .register(new TaggingSimulator(account));
        AwsClients clients =
            new AwsClients(
                aws.endpoint(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")),
                null,
                null,
                REGION)) {
      aws.intercept(
          r ->
              "GetResources".equals(FakeAwsServer.operationOf(r)) && throttled.getAndIncrement() < 2
                  ? Optional.of(AwsFaultResponses.throttling(r))
                  : Optional.empty());
      AwsCallRetrier retrier =
          new AwsCallRetrier(
              4,
              Duration.ofMillis(1),
              Duration.ofMillis(2),
              d -> {},
              new ReceiverTelemetry(MeterProvider.noop()));
      ApiInventory inventory =
          new ApiInventoryLoader(
                  retrier, new ProblemLog(), new ReceiverTelemetry(MeterProvider.noop()))
              .load(REGION, clients.region(REGION));

      assertThat(inventory.size()).isEqualTo(150);
      int tagged = 0;
      for (SimulatedAccount.Api api : account.apis(REGION)) {
        String stage = api.stages().get(0);
        assertThat(inventory.stageTags(api.stageArn(stage)))
            .as(api.id())
            .isEqualTo(Map.of("env", "prod"));
        assertThat(inventory.stageTags(api.stageArn(api.stages().get(1)))).isEmpty();
        tagged++;
      }
      assertThat(tagged).isEqualTo(150);
      assertThat(aws.requestCount("GetResources"))
          .isEqualTo(3 + 2); // three pages, two throttled attempts retried
    }
  }
}
