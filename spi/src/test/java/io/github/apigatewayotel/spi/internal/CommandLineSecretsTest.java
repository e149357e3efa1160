package io.github.apigatewayotel.spi.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.semconv.incubating.ProcessIncubatingAttributes;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLineSecretsTest {

  private static final List<String> ARGS =
      List.of(
          "-javaagent:opentelemetry-javaagent.jar",
          "-Dotel.exporter.otlp.headers=authorization=Bearer T0KEN",
          "-Dotel.apigateway.logs.client_address=hash",
          "-Dotel.apigateway.logs.client_address.key=HashK3y",
          "-Dotel.apigateway.aws.role.external.id=Ext1d",
          "-Dotel.apigateway.regions=us-east-1",
          "-Dotel.apigateway.firehose.access.key=F1rehoseK3y",
          "com.example.Main");

  @Test
  void secretPropertyValuesAreRedactedInTheCommandArgumentsAndLine() {
    Resource resource =
        Resource.builder()
            .put(ProcessIncubatingAttributes.PROCESS_COMMAND_ARGS, ARGS)
            .put(ProcessIncubatingAttributes.PROCESS_COMMAND_LINE, String.join(" ", ARGS))
            .put("service.name", "app")
            .build();

    Resource redacted = CommandLineSecrets.redact(resource);

    List<String> args = redacted.getAttribute(ProcessIncubatingAttributes.PROCESS_COMMAND_ARGS);
    assertThat(args)
        .containsExactly(
            "-javaagent:opentelemetry-javaagent.jar",
            "-Dotel.exporter.otlp.headers=<redacted>",
            "-Dotel.apigateway.logs.client_address=hash",
            "-Dotel.apigateway.logs.client_address.key=<redacted>",
            "-Dotel.apigateway.aws.role.external.id=<redacted>",
            "-Dotel.apigateway.regions=us-east-1",
            "-Dotel.apigateway.firehose.access.key=<redacted>",
            "com.example.Main");
    String line = redacted.getAttribute(ProcessIncubatingAttributes.PROCESS_COMMAND_LINE);
    assertThat(line)
        .doesNotContain("T0KEN", "HashK3y", "Ext1d", "F1rehoseK3y")
        .contains("us-east-1");
    assertThat(
            redacted.getAttribute(
                io.opentelemetry.api.common.AttributeKey.stringKey("service.name")))
        .isEqualTo("app");
  }

  @Test
  void aCommandLineAloneIsRedactedUpToTheNextSpace() {
    Resource resource =
        Resource.builder()
            .put(
                ProcessIncubatingAttributes.PROCESS_COMMAND_LINE,
                "java -Dotel.apigateway.logs.client_address.key=HashK3y -jar app.jar")
            .build();

    assertThat(
            CommandLineSecrets.redact(resource)
                .getAttribute(ProcessIncubatingAttributes.PROCESS_COMMAND_LINE))
        .isEqualTo("java -Dotel.apigateway.logs.client_address.key=<redacted> -jar app.jar");
  }

  @Test
  void aResourceWithoutSecretsIsReturnedAsIs() {
    Resource resource =
        Resource.builder()
            .put(ProcessIncubatingAttributes.PROCESS_COMMAND_ARGS, List.of("-Dfoo=bar"))
            .build();
    assertThat(CommandLineSecrets.redact(resource)).isSameAs(resource);
    assertThat(CommandLineSecrets.redact(Resource.empty())).isSameAs(Resource.empty());
  }
}
