package io.github.apigatewayotel.testing.aws.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.testing.aws.AwsRequest;
import io.github.apigatewayotel.testing.aws.AwsResponse;
import io.github.apigatewayotel.testing.aws.CloudWatchSimulator;
import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * awsQuery as AWS SDK for Java 2.40.2's CloudWatch client spoke it (its last version on awsQuery):
 * requests it sent, replayed byte for byte, get the answers it read back, byte for byte (see {@code
 * sdk-2.40.2-awsquery/README.md}), and decode into the neutral model field by field.
 */
class AwsQueryFixturesTest {

  private static final String DIRECTORY = "sdk-2.40.2-awsquery/";

  private final SimulatedAccount account =
      SimulatedAccount.demo("123456789012", SimulatedCloudWatch.REGION, 42);
  private final CloudWatchSimulator cloudWatch = new CloudWatchSimulator(account);

  /** The source account the linked-account fixtures name (a monitoring account's link). */
  private final SimulatedAccount source =
      SimulatedAccount.demo("210987654321", SimulatedCloudWatch.REGION, 42);

  AwsQueryFixturesTest() {
    account.setClock(() -> SimulatedCloudWatch.NOW);
    source.setClock(() -> SimulatedCloudWatch.NOW);
    cloudWatch.setDatapointsPerCall(3);
    cloudWatch.link(source);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "list-metrics",
        "list-metrics-page-2",
        "list-metrics-linked-accounts",
        "get-metric-data",
        "get-metric-data-page-2",
        "get-metric-data-account-id",
        "get-metric-data-invalid-id"
      })
  void theRecordedRequestGetsTheAnswerTheClientRead(String name) throws IOException {
    AwsRequest request = request(name);
    assertThat(CloudWatchProtocol.of(request)).isEqualTo(CloudWatchProtocol.AWS_QUERY);
    AwsResponse answer = cloudWatch.handle(request);
    assertThat(answer.status()).isEqualTo(name.endsWith("invalid-id") ? 400 : 200);
    assertThat(answer.contentType()).isEqualTo("text/xml");
    assertThat(new String(answer.body(), StandardCharsets.UTF_8))
        .isEqualTo(text(name + ".response.xml"));
    assertThat(cloudWatch.requests(CloudWatchProtocol.AWS_QUERY)).isEqualTo(1);
  }

  @Test
  void everyFieldDecodes() throws IOException {
    CloudWatchCodec codec = CloudWatchProtocol.AWS_QUERY.codec();
    ListMetricsRequest list = codec.listMetrics(request("list-metrics-linked-accounts"));
    assertThat(list)
        .isEqualTo(
            new ListMetricsRequest(
                "AWS/ApiGateway", "Count", List.of(), null, "PT3H", true, "210987654321"));
    ListMetricsRequest filtered = codec.listMetrics(request("list-metrics"));
    assertThat(filtered.dimensions())
        .containsExactly(new Dimension("ApiName", "pets-api"), new Dimension("Stage", null));

    GetMetricDataRequest data = codec.getMetricData(request("get-metric-data-account-id"));
    assertThat(data.queries())
        .containsExactly(
            new MetricDataQuery(
                "q0",
                new Metric(
                    "AWS/ApiGateway", "Count", List.of(new Dimension("ApiName", "pets-api"))),
                60,
                "Sum",
                "Count",
                null,
                "count of pets",
                true,
                "210987654321"));
    assertThat(data.startTime()).isEqualTo(Instant.parse("2026-11-24T09:58:00Z"));
    assertThat(data.endTime()).isEqualTo(Instant.parse("2026-11-24T10:00:00Z"));
    GetMetricDataRequest page = codec.getMetricData(request("get-metric-data-page-2"));
    assertThat(page.nextToken()).isEqualTo("gmd-3");
    assertThat(page.scanBy()).isEqualTo("TimestampAscending");
    assertThat(page.queries().get(0).metric().dimensions())
        .contains(new Dimension("Resource", "/pets/{petId}"));
  }

  /** A recorded request: {@code METHOD PATH}, header lines, a blank line, the body. */
  private static AwsRequest request(String name) throws IOException {
    String text = text(name + ".request.txt");
    int blank = text.indexOf("\n\n");
    String[] head = text.substring(0, blank).split("\n");
    String[] requestLine = head[0].split(" ");
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 1; i < head.length; i++) {
      int colon = head[i].indexOf(':');
      headers.put(head[i].substring(0, colon), List.of(head[i].substring(colon + 1).trim()));
    }
    return new AwsRequest(
        requestLine[0],
        requestLine[1],
        null,
        headers,
        text.substring(blank + 2).getBytes(StandardCharsets.UTF_8),
        "monitoring",
        SimulatedCloudWatch.REGION,
        "AKIDTEST");
  }

  private static String text(String resource) throws IOException {
    try (InputStream in = AwsQueryFixturesTest.class.getResourceAsStream(DIRECTORY + resource)) {
      assertThat(in).as(resource).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
