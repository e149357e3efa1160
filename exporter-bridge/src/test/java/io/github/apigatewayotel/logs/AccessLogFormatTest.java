package io.github.apigatewayotel.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AccessLogFormatTest {

  @Test
  void defaultIsTheSeedJson() {
    AccessLogFormat format = AccessLogFormat.defaultFormat();
    assertThat(AccessLogFormat.of("json")).isSameAs(format);
    assertThat(AccessLogFormat.of(" JSON ")).isSameAs(format);
    assertThat(format.variables())
        .containsExactly(
            "context.apiId",
            "context.stage",
            "context.requestId",
            "context.identity.sourceIp",
            "context.identity.caller",
            "context.identity.user",
            "context.requestTimeEpoch",
            "context.httpMethod",
            "context.resourcePath",
            "context.status",
            "context.protocol",
            "context.responseLength");
  }

  @Test
  void namedAwsExamplesCompile() {
    assertThat(AccessLogFormat.of("clf").template())
        .startsWith("$context.identity.sourceIp $context.identity.caller")
        .contains("[$context.requestTime]\"$context.httpMethod");
    assertThat(AccessLogFormat.of("csv").variables())
        .hasSize(11)
        .endsWith("context.extendedRequestId");
    assertThat(AccessLogFormat.of("xml").variables()).startsWith("context.requestId");
    assertThat(AccessLogFormat.of("aws-json").variables()).contains("context.requestTime");
  }

  @Test
  void customTemplateKeepsItsTextAndDistinctVariables() {
    String template = "$context.requestId $context.status $context.requestId.";
    AccessLogFormat format = AccessLogFormat.of(template);
    assertThat(format.template()).isEqualTo(template);
    assertThat(format.variables()).containsExactly("context.requestId", "context.status");
  }

  @Test
  void rejectsUnusableFormatsNamingTheProblem() {
    assertThatThrownBy(() -> AccessLogFormat.of("{\"a\":\"b\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no $context variable");
    assertThatThrownBy(() -> AccessLogFormat.of("   "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> AccessLogFormat.of("$context.requestId$context.status"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("$context.status");
    assertThatThrownBy(() -> AccessLogFormat.of(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void bracesAreNotAnAccessLogVariableSyntax() {
    assertThatThrownBy(() -> AccessLogFormat.of("${context.requestId}"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
