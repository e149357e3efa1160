package io.github.apigatewayotel.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.apigatewayotel.testing.aws.AwsFaultResponses;
import io.github.apigatewayotel.testing.logging.CapturedLogs;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * What the CloudWatch Logs source and the stage format discovery tell a user when AWS cannot be
 * used, through real AWS SDK clients: a missing permission named, the network told apart from the
 * credentials, and what one poll met returned to its caller.
 */
class CloudWatchLogsProblemWordsTest {

  private CloudWatchLogsTestFixture fixture;

  @BeforeEach
  void setUp() throws Exception {
    fixture = new CloudWatchLogsTestFixture();
  }

  @AfterEach
  void tearDown() {
    fixture.close();
  }

  @Test
  void aDeniedGroupNamesTheMissingPermissionAndThePollReturnsIt() {
    fixture.logs.createLogGroup("api-gateway-prod");
    fixture.server.intercept(
        r ->
            r.jsonTarget() != null && r.jsonTarget().endsWith("FilterLogEvents")
                ? Optional.of(AwsFaultResponses.accessDenied(r, null))
                : Optional.empty());
    try (CloudWatchLogsSource source =
        fixture.source().addLogGroupName("api-gateway-prod").build()) {
      CloudWatchLogsPoll poll = source.pollOnce();

      assertThat(poll.succeeded()).isFalse();
      assertThat(poll.problems())
          .singleElement()
          .asString()
          .contains(
              "CloudWatch Logs group api-gateway-prod in eu-west-1",
              "access denied (AccessDeniedException): the credentials lack logs:FilterLogEvents")
          // a single poll (--once) promises no next attempt
          .doesNotContain("next attempt");
    }
  }

  @Test
  void aStartedSourceSaysWhenItTriesAgain() throws Exception {
    fixture.logs.createLogGroup("api-gateway-prod");
    fixture.server.intercept(
        r ->
            r.jsonTarget() != null && r.jsonTarget().endsWith("FilterLogEvents")
                ? Optional.of(AwsFaultResponses.accessDenied(r, "logs:FilterLogEvents"))
                : Optional.empty());
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    try (CapturedLogs logs = CapturedLogs.of("io.github.apigatewayotel.logs");
        CloudWatchLogsSource source =
            fixture.source().addLogGroupName("api-gateway-prod").build()) {
      source.start(executor);
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(logs.warnings())
                      .anySatisfy(
                          w ->
                              assertThat(w)
                                  .contains("lack logs:FilterLogEvents", "next attempt in")));
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void aRefusedConnectionIsTheNetworkNotTheCredentials() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (StageAccessLogFormats formats =
        StageAccessLogFormats.builder()
            .setRegion("eu-west-1")
            .setEndpointOverride(URI.create("http://127.0.0.1:" + closedPort))
            .setCredentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
            .build()) {
      assertThat(formats.refresh()).isFalse();
      assertThat(formats.lastProblem())
          .contains(
              "Reading API Gateway stages' access-log settings in eu-west-1 failed",
              "cannot reach AWS: the connection to AWS was refused")
          .doesNotContain("apigateway:GET");
    }
  }
}
