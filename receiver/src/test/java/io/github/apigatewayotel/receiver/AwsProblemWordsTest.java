package io.github.apigatewayotel.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.testing.aws.AwsFaultResponses;
import io.github.apigatewayotel.testing.aws.AwsResponse;
import io.github.apigatewayotel.testing.aws.FakeAwsServer;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * What the receiver tells a user when AWS cannot be used, through real AWS SDK clients: the network
 * (no such host, a refused connection), the credentials (none, expired, refused), a missing
 * permission (named), throttling; each in its own words, with its fix.
 */
class AwsProblemWordsTest {

  @RegisterExtension final ReceiverHarness harness = ReceiverHarness.demo();

  private PollSummary pollOnce(ApiGatewayMetricsReceiverBuilder builder) {
    try (ApiGatewayMetricsReceiver receiver = builder.build()) {
      return receiver.pollOnce();
    }
  }

  @Test
  void aHostThatDoesNotResolveIsANetworkProblemNotACredentialOne() {
    PollSummary summary =
        pollOnce(
            harness
                .receiverBuilder()
                .endpointOverride(URI.create("http://apigateway-otel.invalid")));

    assertThat(summary.problems())
        .singleElement()
        .asString()
        .contains("cannot reach AWS", "does not resolve (DNS)", "check DNS")
        .doesNotContain("credentials", "retrying");
  }

  @Test
  void aRefusedConnectionIsANetworkProblem() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    PollSummary summary =
        pollOnce(
            harness
                .receiverBuilder()
                .endpointOverride(URI.create("http://127.0.0.1:" + closedPort)));

    assertThat(summary.problems())
        .singleElement()
        .asString()
        .contains("cannot reach AWS: the connection to AWS was refused", "endpoint override")
        .doesNotContain("credentials");
  }

  @Test
  void noCredentialsAtAllSaysWhereTheSdkLooks(@TempDir Path dir) throws Exception {
    // The SDK's own chain over a profile file without the profile: it finds nothing, as on a host
    // with no credentials.
    Path empty = Files.writeString(dir.resolve("credentials"), "");
    ProfileCredentialsProvider profile =
        ProfileCredentialsProvider.builder()
            .profileFile(
                ProfileFile.builder().content(empty).type(ProfileFile.Type.CREDENTIALS).build())
            .profileName("none")
            .build();

    PollSummary summary =
        pollOnce(
            harness.receiverBuilder().credentialsProvider(AwsCredentialsProviderChain.of(profile)));

    assertThat(summary.problems())
        .singleElement()
        .asString()
        .contains("no AWS credentials were found", "AWS_ACCESS_KEY_ID", "instance role")
        .doesNotContain("account id", "credentials provider");
  }

  @Test
  void refusedCredentialsAreNotMissingOnes() {
    harness.aws.intercept(
        r ->
            Optional.of(
                AwsResponse.queryError(
                    403,
                    "Sender",
                    "InvalidClientTokenId",
                    "The security token included in the request is invalid.")));

    PollSummary summary = pollOnce(harness.receiverBuilder());

    assertThat(summary.problems())
        .singleElement()
        .asString()
        .contains(
            "AWS does not accept the credentials (InvalidClientTokenId)",
            "access key id or secret key");
  }

  @Test
  void aMissingPermissionIsNamedFromAwssMessageOrFromTheCallMade() {
    harness.aws.intercept(
        r ->
            "GetMetricData".equals(FakeAwsServer.operationOf(r))
                ? Optional.of(AwsFaultResponses.accessDenied(r, "cloudwatch:GetMetricData"))
                : Optional.empty());
    try (CapturedReceiverLogs logs = new CapturedReceiverLogs()) {
      PollSummary denied = pollOnce(harness.receiverBuilder());
      assertThat(denied.failedCalls()).isPositive();
      assertThat(logs.warnings())
          .anySatisfy(
              w ->
                  assertThat(w)
                      .contains(
                          "access denied (AccessDenied): the credentials lack"
                              + " cloudwatch:GetMetricData",
                          "grant cloudwatch:GetMetricData"));
    }

    harness.aws.clearInterceptors();
    // API Gateway's own denial names no action: the receiver names the one it needed.
    harness.aws.intercept(
        r ->
            r.path().startsWith("/restapis")
                ? Optional.of(AwsFaultResponses.accessDenied(r, null))
                : Optional.empty());
    PollSummary discovery = pollOnce(harness.receiverBuilder());
    assertThat(discovery.problems())
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains(
                        "cannot discover API Gateway APIs in eu-west-1",
                        "the credentials lack apigateway:GET"));
  }

  @Test
  void throttlingIsToldApartFromAFailure() {
    harness.aws.intercept(
        r ->
            "GetMetricData".equals(FakeAwsServer.operationOf(r))
                ? Optional.of(AwsFaultResponses.throttling(r))
                : Optional.empty());
    try (CapturedReceiverLogs logs = new CapturedReceiverLogs()) {
      pollOnce(harness.receiverBuilder());
      assertThat(logs.warnings())
          .anySatisfy(
              w -> assertThat(w).contains("AWS throttled the calls (Throttling) after retries"));
    }
  }

  /** The receiver's logger, captured. */
  private static final class CapturedReceiverLogs implements AutoCloseable {
    private final io.github.apigatewayotel.testing.logging.CapturedLogs logs =
        io.github.apigatewayotel.testing.logging.CapturedLogs.of(
            "io.github.apigatewayotel.receiver");

    java.util.List<String> warnings() {
      return logs.warnings();
    }

    @Override
    public void close() {
      logs.close();
    }
  }
}
