package io.github.apigatewayotel.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.testing.aws.AwsFaultResponses;
import io.github.apigatewayotel.testing.aws.AwsRequest;
import io.github.apigatewayotel.testing.aws.AwsResponse;
import io.github.apigatewayotel.testing.aws.CloudWatchLogsSimulator;
import io.github.apigatewayotel.testing.aws.FakeAwsServer;
import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin in a host JVM with recognisable fake secrets (AWS keys and session token, an OTLP
 * authorization header, the client-address hash key), against an AWS that throttles, says the
 * token expired and denies access, and an OTLP backend that fails for a while: none of the
 * secrets, nor their first 8 characters, appears in anything the process prints or exports.
 */
class SecretsDoNotLeakIT {

  private static final String ACCOUNT = "123456789012";
  private static final String REGION = "us-east-1";
  private static final String LOG_GROUP = "api-gateway-pets-prod";

  private static final String ACCESS_KEY_ID = "AKIAFAKESECRET000001";
  private static final String SECRET_KEY = "fakeSecretKeyValue/DoNotLeak";
  private static final String SESSION_TOKEN = "FAKE-SESSION-TOKEN-DO-NOT-LEAK";
  private static final String OTLP_TOKEN = "FAKE-OTLP-TOKEN-DO-NOT-LEAK";
  private static final String HASH_KEY = "FAKE-HASH-KEY-DO-NOT-LEAK";
  private static final List<String> SECRETS =
      List.of(ACCESS_KEY_ID, SECRET_KEY, SESSION_TOKEN, OTLP_TOKEN, HASH_KEY);

  @TempDir Path dir;

  @Test
  void noSecretAppearsInOutputOrTelemetryWhileEverythingFails() throws Exception {
    SimulatedAccount account = SimulatedAccount.demo(ACCOUNT, REGION, 42);
    CloudWatchLogsSimulator logs = new CloudWatchLogsSimulator(ACCOUNT);
    List<String> lines = ItPaths.lines(ItPaths.sampleAccessLog(dir));
    ItHosts.putLines(logs, LOG_GROUP, lines);
    // Everything the plugin (and the SDK it calls) reports, down to FINE.
    Path logging = dir.resolve("logging.properties");
    Files.writeString(
        logging,
        "handlers=java.util.logging.ConsoleHandler\n"
            + "java.util.logging.ConsoleHandler.level=ALL\n"
            + ".level=INFO\n"
            + "io.github.apigatewayotel.level=FINE\n",
        StandardCharsets.UTF_8);

    try (FakeAwsServer aws = ItHosts.serve(account, logs);
        OtlpTestReceiver receiver = OtlpTestReceiver.start()) {
      AtomicInteger metricFaults = new AtomicInteger();
      AtomicInteger logFaults = new AtomicInteger();
      aws.intercept(request -> faultFor(request, metricFaults, logFaults));
      receiver.answerWith(503);

      try (ChildJvm app =
          ChildJvm.start(
              ItHosts.concat(
                  ItHosts.autoconfigureClasspath(),
                  ItHosts.exportTo(
                      receiver,
                      "-Djava.util.logging.config.file=" + logging,
                      "-Dotel.service.name=secrets-app",
                      "-Dotel.exporter.otlp.headers=authorization=Bearer " + OTLP_TOKEN,
                      "-Dotel.apigateway.metrics.interval=1s",
                      "-Dotel.apigateway.logs.client_address=hash",
                      "-Dotel.apigateway.logs.client_address.key=" + HASH_KEY),
                  ItHosts.quickPlugin(aws, REGION)),
              List.of(AutoconfigureApp.class.getName(), "90"),
              Map.of(
                  "AWS_ACCESS_KEY_ID", ACCESS_KEY_ID,
                  "AWS_SECRET_ACCESS_KEY", SECRET_KEY,
                  "AWS_SESSION_TOKEN", SESSION_TOKEN),
              dir)) {
        // The backend fails until it has turned exports away, then recovers.
        boolean rejected =
            OtlpTestReceiver.await(Duration.ofSeconds(60), () -> receiver.rejectedRequests() >= 2);
        assertThat(rejected).as("exports were rejected; child output:%n%s", app.output()).isTrue();
        receiver.answerWith(0);

        boolean arrived =
            OtlpTestReceiver.await(
                Duration.ofSeconds(90),
                () ->
                    metricFaults.get() >= METRIC_FAULTS
                        && logFaults.get() >= LOG_FAULTS
                        && !receiver.logRecords().isEmpty()
                        && !receiver.metrics().isEmpty());
        assertThat(arrived)
            .as("faults were served and telemetry arrived; child output:%n%s", app.output())
            .isTrue();
        String output = app.output();
        // The test means something only if the faults made the process log.
        assertThat(output).as("the faults made the process log").contains("WARNING");
        String telemetry = everythingReceived(receiver);
        for (String secret : SECRETS) {
          for (String fragment : List.of(secret, secret.substring(0, 8))) {
            assertThat(output).as("process output").doesNotContain(fragment);
            assertThat(telemetry).as("exported telemetry").doesNotContain(fragment);
          }
        }
        // The OTLP header did reach the backend (on the wire, where it belongs).
        assertThat(receiver.requestHeaders())
            .anySatisfy(
                headers -> assertThat(headers.get("authorization")).isEqualTo("Bearer " + OTLP_TOKEN));
      }
    }
  }

  private static final int METRIC_FAULTS = 6;
  private static final int LOG_FAULTS = 3;

  /** Throttling, an expired token and a denial for CloudWatch; throttling and a denial for Logs. */
  private static Optional<AwsResponse> faultFor(
      AwsRequest request, AtomicInteger metricFaults, AtomicInteger logFaults) {
    String operation = FakeAwsServer.operationOf(request);
    if ("GetMetricData".equals(operation) || "ListMetrics".equals(operation)) {
      int n = metricFaults.getAndIncrement();
      if (n < 2) {
        return Optional.of(
            AwsFaultResponses.queryError(request, 400, "Sender", "Throttling", "Rate exceeded"));
      }
      if (n < 4) {
        return Optional.of(
            AwsFaultResponses.queryError(
                request,
                403,
                "Sender",
                "ExpiredToken", "The security token included in the request is expired"));
      }
      if (n < METRIC_FAULTS) {
        return Optional.of(
            AwsFaultResponses.queryError(
                request,
                403,
                "Sender",
                "AccessDenied",
                "User: arn:aws:iam::123456789012:user/reader is not authorized to perform:"
                    + " cloudwatch:GetMetricData"));
      }
      return Optional.empty();
    }
    if (operation != null && operation.endsWith("FilterLogEvents")) {
      int n = logFaults.getAndIncrement();
      if (n < 2) {
        return Optional.of(AwsResponse.jsonError(400, "ThrottlingException", "Rate exceeded"));
      }
      if (n < LOG_FAULTS) {
        return Optional.of(
            AwsResponse.jsonError(
                400,
                "AccessDeniedException",
                "User: arn:aws:iam::123456789012:user/reader is not authorized to perform:"
                    + " logs:FilterLogEvents"));
      }
    }
    return Optional.empty();
  }

  /** Every request as protobuf text: bodies, attributes, resources, scopes. */
  private static String everythingReceived(OtlpTestReceiver receiver) {
    List<String> all = new ArrayList<>();
    receiver.logRequests().forEach(request -> all.add(request.toString()));
    receiver.metricRequests().forEach(request -> all.add(request.toString()));
    return String.join("\n", all);
  }
}
