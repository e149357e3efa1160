package io.github.apigatewayotel.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.testing.logging.CapturedLogs;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Run once with AWS out of reach, every source fails and says so: the host learns which source and
 * why (for an exit status), the start-up log names what is read where, and nothing promises a retry
 * that a single run never makes.
 */
class OnceFailureTest {

  private final TemporarySystemProperties properties = new TemporarySystemProperties();

  @BeforeEach
  void credentials() {
    properties.setTestCredentials();
  }

  @AfterEach
  void restore() {
    properties.restore();
  }

  @Test
  void everySourceThatCouldNotReachAwsIsNamedWithWhy() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (CapturedLogs logs = CapturedLogs.of("io.github.apigatewayotel")) {
      OpenTelemetrySdk sdk =
          AutoConfiguredOpenTelemetrySdk.builder()
              .addPropertiesSupplier(
                  () ->
                      Map.ofEntries(
                          Map.entry("otel.service.name", "once-failure-test"),
                          Map.entry("otel.traces.exporter", "none"),
                          Map.entry("otel.metrics.exporter", "none"),
                          Map.entry("otel.logs.exporter", "none"),
                          Map.entry("otel.apigateway.mode", "once"),
                          Map.entry("otel.apigateway.regions", "eu-west-1"),
                          Map.entry("otel.apigateway.aws.account.id", "123456789012"),
                          Map.entry(
                              "otel.apigateway.aws.endpoint", "http://127.0.0.1:" + closedPort)))
              .build()
              .getOpenTelemetrySdk();
      try {
        ApiGatewayPlugin plugin = ApiGatewayPlugin.of(sdk).orElseThrow();
        assertThat(plugin.awaitCompletion(Duration.ofSeconds(60))).isTrue();

        assertThat(plugin.failedSources()).isEqualTo(2);
        assertThat(plugin.failures())
            .anySatisfy(
                f ->
                    assertThat(f)
                        .startsWith("cloudwatch metrics in eu-west-1: ")
                        .contains("cannot reach AWS: the connection to AWS was refused"))
            .anySatisfy(
                f ->
                    assertThat(f)
                        .startsWith("cloudwatch logs in eu-west-1")
                        .contains("groups starting with [api-gateway]", "cannot reach AWS"))
            .allSatisfy(f -> assertThat(f).doesNotContain("retrying", "next attempt"));
        assertThat(logs.messages(java.util.logging.Level.INFO))
            .anySatisfy(
                m ->
                    assertThat(m)
                        .contains(
                            "CloudWatch AWS/ApiGateway metrics of eu-west-1",
                            "regions from otel.apigateway.regions"));
      } finally {
        sdk.close();
      }
    }
  }

  @Test
  void theAccountIdLookUpSaysWhyAndOffersNoAccountIdWhenAwsCannotBeReached() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (CapturedLogs logs = CapturedLogs.of("io.github.apigatewayotel.spi")) {
      OpenTelemetrySdk sdk =
          AutoConfiguredOpenTelemetrySdk.builder()
              .addPropertiesSupplier(
                  () ->
                      Map.ofEntries(
                          Map.entry("otel.service.name", "once-failure-test"),
                          Map.entry("otel.traces.exporter", "none"),
                          Map.entry("otel.metrics.exporter", "none"),
                          Map.entry("otel.logs.exporter", "none"),
                          Map.entry("otel.apigateway.mode", "once"),
                          Map.entry("otel.apigateway.metrics.enabled", "false"),
                          Map.entry("otel.apigateway.regions", "eu-west-1"),
                          Map.entry(
                              "otel.apigateway.aws.endpoint", "http://127.0.0.1:" + closedPort)))
              .build()
              .getOpenTelemetrySdk();
      try {
        ApiGatewayPlugin plugin = ApiGatewayPlugin.of(sdk).orElseThrow();
        assertThat(plugin.awaitCompletion(Duration.ofSeconds(60))).isTrue();

        assertThat(logs.warnings())
            .anySatisfy(
                w ->
                    assertThat(w)
                        .contains(
                            "sts:GetCallerIdentity (the account id of access-log records and metrics) failed:",
                            "cannot reach AWS")
                        // an account id would not make AWS reachable
                        .doesNotContain("otel.apigateway.aws.account.id"));
      } finally {
        sdk.close();
      }
    }
  }
}
