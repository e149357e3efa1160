package io.github.apigatewayotel.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.apigatewayotel.logs.internal.NamedFormats;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContextVariablesTest {

  @Test
  void aMisspelledVariableIsNamedWithTheDocumentedOneNearestToIt() {
    AccessLogFormat format =
        AccessLogFormat.of(
            "{\"id\":\"$context.requestIdd\",\"ip\":\"$context.identity.sourceIP\","
                + "\"s\":\"$context.stage\",\"x\":\"$context.integrationLatncy\"}");

    List<ContextVariables.Undocumented> undocumented = ContextVariables.undocumentedIn(format);

    assertThat(undocumented)
        .extracting(ContextVariables.Undocumented::describe)
        .containsExactly(
            "$context.requestIdd (did you mean $context.requestId?)",
            "$context.identity.sourceIP (did you mean $context.identity.sourceIp?)",
            "$context.integrationLatncy (did you mean $context.integrationLatency?)");
  }

  @Test
  void aVariableFarFromEveryDocumentedOneIsReportedWithoutAGuess() {
    AccessLogFormat format = AccessLogFormat.of("$context.somethingEntirelyNew $context.status");

    assertThat(ContextVariables.undocumentedIn(format))
        .containsExactly(
            new ContextVariables.Undocumented("context.somethingEntirelyNew", Optional.empty()));
  }

  @Test
  void everyNamedFormatAndUserNamedFamilyIsDocumented() {
    for (String name : AccessLogFormat.names()) {
      assertThat(ContextVariables.undocumentedIn(AccessLogFormat.of(name))).as(name).isEmpty();
    }
    // A Lambda authorizer's own context keys, JWT claims and overrides are the user's names.
    assertThat(
            ContextVariables.undocumentedIn(
                AccessLogFormat.of(
                    "$context.authorizer.tenant $context.authorizer.claims.email"
                        + " $context.requestOverride.header.x-trace $context.responseOverride.header.Via")))
        .isEmpty();
    // REST, HTTP and WebSocket variables alike.
    assertThat(
            ContextVariables.undocumentedIn(
                AccessLogFormat.of(
                    "$context.routeKey $context.connectionId $context.eventType $context.dataProcessed"
                        + " $context.awsEndpointRequestId2 $context.waf.latency $context.isCanaryRequest")))
        .isEmpty();
    assertThat(ContextVariables.isDocumented("context.authorizer.")).isFalse();
    assertThat(ContextVariables.documented()).contains("context.authorizer.*", "context.requestId");
  }

  @Test
  void aMisspelledFormatNameListsTheNames() {
    assertThatThrownBy(() -> AccessLogFormat.of("jsn"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"jsn\" is neither a format name " + NamedFormats.NAMES)
        .hasMessageContaining("did you mean json?");
  }
}
