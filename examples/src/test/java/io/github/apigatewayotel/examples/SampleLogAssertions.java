package io.github.apigatewayotel.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.apigatewayotel.testing.otlp.ReceivedLog;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks decoded OTLP records against the seed-format lines they came from: one record per line,
 * the line as body, its own timestamp, severity from status, and DESIGN.md's attributes.
 */
final class SampleLogAssertions {

  private static final ObjectMapper json = new ObjectMapper();

  private SampleLogAssertions() {}

  static void assertOneRecordPerLine(List<ReceivedLog> records, List<String> lines)
      throws Exception {
    assertThat(records).hasSize(lines.size());
    Map<String, ReceivedLog> byBody = new HashMap<>();
    for (ReceivedLog record : records) {
      assertThat(byBody.put(record.body(), record)).as("duplicate record").isNull();
    }
    for (String line : lines) {
      ReceivedLog record = byBody.get(line);
      assertThat(record).as("record for line %s", line).isNotNull();
      assertMapped(record, json.readTree(line));
    }
  }

  private static void assertMapped(ReceivedLog received, JsonNode line) {
    var record = received.record();
    assertThat(record.getEventName()).isEqualTo("aws.apigateway.access");
    assertThat(record.getTimeUnixNano()).isEqualTo(line.get("requestTime").asLong() * 1_000_000L);
    assertThat(record.getObservedTimeUnixNano()).isGreaterThan(record.getTimeUnixNano());
    int status = line.get("status").asInt();
    SeverityNumber expected =
        status >= 500
            ? SeverityNumber.SEVERITY_NUMBER_ERROR
            : status >= 400
                ? SeverityNumber.SEVERITY_NUMBER_WARN
                : SeverityNumber.SEVERITY_NUMBER_INFO;
    assertThat(record.getSeverityNumber()).isEqualTo(expected);
    assertThat(received.attribute("http.response.status_code").orElseThrow().getIntValue())
        .isEqualTo(status);
    assertThat(received.stringAttribute("aws.apigateway.api.id"))
        .isEqualTo(line.get("apiId").asText());
    assertThat(received.stringAttribute("aws.apigateway.stage"))
        .isEqualTo(line.get("stage").asText());
    assertThat(received.stringAttribute("aws.request_id"))
        .isEqualTo(line.get("requestId").asText());
    assertThat(received.stringAttribute("client.address")).isEqualTo(line.get("ip").asText());
    assertThat(received.stringAttribute("http.request.method"))
        .isEqualTo(line.get("httpMethod").asText());
    assertThat(received.stringAttribute("http.route")).isEqualTo(line.get("resourcePath").asText());
    assertThat(received.stringAttribute("network.protocol.name")).isEqualTo("http");
    assertThat(received.stringAttribute("network.protocol.version")).isEqualTo("1.1");
    assertThat(received.attribute("http.response.body.size").orElseThrow().getIntValue())
        .isEqualTo(line.get("responseLength").asLong());
    // "-" means absent: the seed's caller and user are "-" in every sample line.
    assertThat(received.attribute("aws.apigateway.context.identity.caller")).isEmpty();
    assertThat(received.attribute("error.type")).isEmpty();
  }
}
