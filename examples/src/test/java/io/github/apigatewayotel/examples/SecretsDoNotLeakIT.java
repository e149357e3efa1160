package io.github.apigatewayotel.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
 * authorization header, the client-address hash key), every logger at FINEST, against an AWS that
 * throttles, says the token expired and denies access, and an OTLP backend that fails for a while:
 * none of the secrets, nor their first 8 characters, appears in anything the process prints or
 * exports. In an SDK-autoconfigure host and under the real Java agent, which exports the
 * application's java.util.logging records over OTLP.
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
    runEverythingFailing(ItHosts.autoconfigureClasspath(), AutoconfigureApp.class, "");
  }

  /**
   * The same under the real Java agent, whose log bridge exports what the application logs through
   * java.util.logging as OTLP log records: none of those may carry a secret either.
   */
  @Test
  void underTheJavaAgentNoExportedLogRecordCarriesASecret() throws Exception {
    String telemetry =
        runEverythingFailing(
            List.of(
                "-javaagent:" + ItPaths.javaAgentJar(),
                "-Dotel.javaagent.extensions=" + ItPaths.dropInJar(),
                // The agent's own debug switch: the drop-in jar's loggers follow it, not the JUL
                // levels, so the relocated AWS SDK logs everything it logs at debug.
                "-Dotel.javaagent.debug=true",
                "-cp",
                ItPaths.examplesClasses().toString()),
            AgentApp.class,
            "AgentApp running for");
    // Not vacuous: the agent's log bridge did export what the application logged at FINE.
    assertThat(telemetry).contains("AgentApp running for").contains("SEVERITY_NUMBER_DEBUG2");
  }

  /**
   * Runs {@code app} on {@code host} against failing AWS and OTLP, every logger at FINEST; asserts
   * that no secret appears in its output or in what it exported, which is returned as text. Waits
   * for a log record containing {@code appLogLine} too (empty: any).
   */
  private String runEverythingFailing(List<String> host, Class<?> app, String appLogLine)
      throws Exception {
    SimulatedAccount account = SimulatedAccount.demo(ACCOUNT, REGION, 42);
    CloudWatchLogsSimulator logs = new CloudWatchLogsSimulator(ACCOUNT);
    List<String> lines = ItPaths.lines(ItPaths.sampleAccessLog(dir));
    ItHosts.putLines(logs, LOG_GROUP, lines);
    // Every logger of the process at FINEST (FINE and below): the JDK's, the AWS SDK's, the
    // plugin's, as a user turning on the root level would.
    Path logging = dir.resolve("logging.properties");
    Files.writeString(
        logging,
        "handlers=java.util.logging.ConsoleHandler\n"
            + "java.util.logging.ConsoleHandler.level=ALL\n"
            + ".level=FINEST\n",
        StandardCharsets.UTF_8);

    try (FakeAwsServer aws = ItHosts.serve(account, logs);
        OtlpTestReceiver receiver = OtlpTestReceiver.start()) {
      AtomicInteger metricFaults = new AtomicInteger();
      AtomicInteger logFaults = new AtomicInteger();
      aws.intercept(request -> faultFor(request, metricFaults, logFaults));
      receiver.answerWith(503);

      try (ChildJvm child =
          ChildJvm.start(
              ItHosts.concat(
                  host,
                  ItHosts.exportTo(
                      receiver,
                      "-Djava.util.logging.config.file=" + logging,
                      "-Dotel.service.name=secrets-app",
                      "-Dotel.exporter.otlp.headers=authorization=Bearer " + OTLP_TOKEN,
                      "-Dotel.apigateway.metrics.interval=1s",
                      "-Dotel.apigateway.logs.client.address=hash",
                      "-Dotel.apigateway.logs.client.address.key=" + HASH_KEY),
                  ItHosts.quickPlugin(aws, REGION)),
              List.of(app.getName(), "90"),
              Map.of(
                  "AWS_ACCESS_KEY_ID", ACCESS_KEY_ID,
                  "AWS_SECRET_ACCESS_KEY", SECRET_KEY,
                  "AWS_SESSION_TOKEN", SESSION_TOKEN),
              dir)) {
        // The backend fails until it has turned exports away, then recovers.
        await()
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(
                () ->
                    assertThat(receiver.rejectedRequests())
                        .as(
                            () ->
                                String.format(
                                    "exports were rejected; child output:%n%s", tail(child)))
                        .isGreaterThanOrEqualTo(2));
        receiver.answerWith(0);

        await()
            .atMost(Duration.ofSeconds(90))
            .untilAsserted(
                () ->
                    assertThat(
                            metricFaults.get() >= METRIC_FAULTS
                                && logFaults.get() >= LOG_FAULTS
                                && receiver.logRecords().size() >= lines.size()
                                // The application's own record may still be in the exporter's
                                // retry backoff from the outage when the plugin's have arrived.
                                && receiver.logRecords().stream()
                                    .anyMatch(record -> record.toString().contains(appLogLine))
                                && !receiver.metrics().isEmpty())
                        .as(
                            () ->
                                String.format(
                                    "faults were served and telemetry arrived; child output:%n%s",
                                    tail(child)))
                        .isTrue());
        String output = child.output();
        // The test means something only if the faults made the process log, and the JDK's and
        // the AWS SDK's loggers wrote at FINE.
        assertThat(output).as("the faults made the process log").contains("WARN");
        assertThat(output).as("the AWS SDK logged at debug").contains("Sending Request");
        String telemetry = everythingReceived(receiver);
        // Every secret and its first 8 characters, counted where it was found: all must be 0.
        Map<String, Integer> found = new java.util.TreeMap<>();
        long leakingRecords =
            receiver.logRecords().stream()
                .map(Object::toString)
                .filter(
                    record -> SECRETS.stream().anyMatch(s -> record.contains(s.substring(0, 8))))
                .count();
        for (String secret : SECRETS) {
          for (String fragment : List.of(secret, secret.substring(0, 8))) {
            found.put("output: " + fragment, occurrences(output, fragment));
            found.put("telemetry: " + fragment, occurrences(telemetry, fragment));
          }
        }
        assertThat(found)
            .as(
                "secrets in the process output and the exported telemetry (%d log records carry"
                    + " one); child output:%n%s",
                leakingRecords, tail(child))
            .allSatisfy((where, count) -> assertThat(count).as(where).isZero());
        // The OTLP header did reach the backend (on the wire, where it belongs).
        assertThat(receiver.requestHeaders())
            .anySatisfy(
                headers ->
                    assertThat(headers.get("authorization")).isEqualTo("Bearer " + OTLP_TOKEN));
        return telemetry;
      }
    }
  }

  private static int occurrences(String text, String fragment) {
    int count = 0;
    for (int at = text.indexOf(fragment); at >= 0; at = text.indexOf(fragment, at + 1)) {
      count++;
    }
    return count;
  }

  /** The end of what the child printed: at FINEST all of it would drown the failure message. */
  private static String tail(ChildJvm child) {
    String output = child.outputForMessage();
    return output.substring(Math.max(0, output.length() - 20_000));
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
                "ExpiredToken",
                "The security token included in the request is expired"));
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
