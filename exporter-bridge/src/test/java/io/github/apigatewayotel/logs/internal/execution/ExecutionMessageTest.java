package io.github.apigatewayotel.logs.internal.execution;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.logs.Severity;
import org.junit.jupiter.api.Test;

/** Execution-log messages as API Gateway writes them: request id, text, severity, status. */
class ExecutionMessageTest {

  private static final String ID = "(3323ffe5-6ddf-45c8-896a-b45ec2284cc0) ";

  @Test
  void theRequestIdPrefixIsSplitOffAndAMultiLineBodyStaysWhole() {
    ExecutionMessage message =
        ExecutionMessage.parse(
            ID + "Method request body before transformations: {\n  \"name\": \"rex\"\n}");
    assertThat(message.requestId()).isEqualTo("3323ffe5-6ddf-45c8-896a-b45ec2284cc0");
    assertThat(message.text())
        .isEqualTo("Method request body before transformations: {\n  \"name\": \"rex\"\n}");
    assertThat(message.severity()).isEqualTo(Severity.INFO);
    assertThat(message.status()).isEqualTo(-1);
  }

  @Test
  void webSocketExtendedIdsAreRequestIdsToo() {
    assertThat(
            ExecutionMessage.parse(
                    "(T2n3gGCMoAMFfJQ=) Starting execution for request: T2n3gGCMoAMFfJQ=")
                .requestId())
        .isEqualTo("T2n3gGCMoAMFfJQ=");
  }

  @Test
  void aContinuationOrAnythingElseHasNoRequestId() {
    assertThat(ExecutionMessage.parse("  \"kind\": \"dog\"\n}").hasRequestId()).isFalse();
    assertThat(ExecutionMessage.parse("(not an id) text").hasRequestId()).isFalse();
    assertThat(ExecutionMessage.parse("()").hasRequestId()).isFalse();
    assertThat(ExecutionMessage.parse("").hasRequestId()).isFalse();
    assertThat(ExecutionMessage.parse("(" + "x".repeat(65) + ") text").hasRequestId()).isFalse();
  }

  @Test
  void failuresAreErrorsRefusalsWarningsAndTheRestInfo() {
    assertThat(
            severity(
                "Execution failed due to configuration error: Invalid permissions on Lambda function"))
        .isEqualTo(Severity.ERROR);
    assertThat(severity("Execution failed due to a timeout error")).isEqualTo(Severity.ERROR);
    assertThat(
            severity(
                "Lambda execution failed with status 200 due to customer function error: boom"))
        .isEqualTo(Severity.ERROR);
    assertThat(severity("Endpoint request timed out")).isEqualTo(Severity.ERROR);
    assertThat(severity("Authorizer error")).isEqualTo(Severity.ERROR);
    assertThat(severity("Unauthorized request: fd443056-60d0-425f-874e-e93e5d61351e"))
        .isEqualTo(Severity.WARN);
    assertThat(
            severity(
                "Request body does not match model schema for content type application/json: []"))
        .isEqualTo(Severity.WARN);
    assertThat(
            severity(
                "API Key **********abcd not authorized because method 'GET /' requires API Key"))
        .isEqualTo(Severity.WARN);
    assertThat(
            severity(
                "API Key  authorized because method 'GET /' does not require API Key. Request will not contribute to throttle or quota limits"))
        .isEqualTo(Severity.INFO);
    assertThat(severity("Successfully completed execution")).isEqualTo(Severity.INFO);
    assertThat(
            severity(
                "Endpoint response body before transformations: {\"error\": \"Execution failed\"}"))
        .as("a body is the backend's words, not API Gateway's")
        .isEqualTo(Severity.INFO);
  }

  @Test
  void theCompletionLineGivesTheStatusAndItsSeverity() {
    ExecutionMessage failed = ExecutionMessage.parse(ID + "Method completed with status: 502");
    assertThat(failed.status()).isEqualTo(502);
    assertThat(failed.severity()).isEqualTo(Severity.ERROR);
    assertThat(ExecutionMessage.parse(ID + "Method completed with status: 403").severity())
        .isEqualTo(Severity.WARN);
    assertThat(ExecutionMessage.parse(ID + "Method completed with status: 200").severity())
        .isEqualTo(Severity.INFO);
  }

  @Test
  void groupNamesGiveTheApiAndStage() {
    assertThat(ExecutionLogGroups.stageOf("API-Gateway-Execution-Logs_a1b2c3d4e5/prod"))
        .satisfies(
            stage -> {
              assertThat(stage.apiId()).isEqualTo("a1b2c3d4e5");
              assertThat(stage.stage()).isEqualTo("prod");
            });
    assertThat(ExecutionLogGroups.stageOf("API-Gateway-Execution-Logs_a1b2c3d4e5/")).isNull();
    assertThat(ExecutionLogGroups.stageOf("API-Gateway-Execution-Logs_/prod")).isNull();
    assertThat(ExecutionLogGroups.stageOf("api-gateway-pets-prod")).isNull();
  }

  private static Severity severity(String text) {
    return ExecutionMessage.parse(ID + text).severity();
  }
}
