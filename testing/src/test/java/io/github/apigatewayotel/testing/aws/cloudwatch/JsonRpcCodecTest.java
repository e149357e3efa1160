package io.github.apigatewayotel.testing.aws.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import io.github.apigatewayotel.testing.aws.AwsRequest;
import io.github.apigatewayotel.testing.aws.AwsResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The JSON 1.0 and CBOR codecs on hand-written requests, as AWS documents the protocols: members
 * under their model names, epoch-second timestamps (CBOR: behind tag 1), errors with {@code
 * __type}, {@code message} and {@code x-amzn-query-error}, and the fields the organizations and
 * cost work reads (linked accounts, a query's account, recently active).
 */
class JsonRpcCodecTest {

  private static final String GET_METRIC_DATA_JSON =
      """
      {"MetricDataQueries": [{"Id": "q0", "AccountId": "210987654321", "ReturnData": false, "Label": "L",
         "MetricStat": {"Metric": {"Namespace": "AWS/ApiGateway", "MetricName": "Count",
           "Dimensions": [{"Name": "ApiId", "Value": "a1"}, {"Name": "Stage", "Value": "$default"}]},
         "Period": 60, "Stat": "Sum", "Unit": "Count"}}],
       "StartTime": 1764064200, "EndTime": 1764064800.25, "NextToken": "t", "ScanBy": "TimestampAscending",
       "MaxDatapoints": 100}""";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());

  static AwsRequest json(String operation, String body) {
    return new AwsRequest(
        "POST",
        "/",
        null,
        Map.of(
            "X-Amz-Target",
            List.of("GraniteServiceVersion20100801." + operation),
            "Content-Type",
            List.of("application/x-amz-json-1.0")),
        body.getBytes(StandardCharsets.UTF_8),
        "monitoring",
        "eu-west-1",
        "AKIDTEST");
  }

  static AwsRequest cbor(String operation, String jsonBody, boolean protocolHeader)
      throws IOException {
    Map<String, List<String>> headers =
        protocolHeader
            ? Map.of(
                "smithy-protocol",
                List.of("rpc-v2-cbor"),
                "Content-Type",
                List.of("application/cbor"))
            : Map.of("Content-Type", List.of("application/cbor"));
    return new AwsRequest(
        "POST",
        "/service/GraniteServiceVersion20100801/operation/" + operation,
        null,
        headers,
        CBOR.writeValueAsBytes(JSON.readTree(jsonBody)),
        "monitoring",
        "eu-west-1",
        "AKIDTEST");
  }

  @Test
  void bothDecodeEveryGetMetricDataField() throws IOException {
    GetMetricDataRequest expected =
        new GetMetricDataRequest(
            List.of(
                new MetricDataQuery(
                    "q0",
                    new Metric(
                        "AWS/ApiGateway",
                        "Count",
                        List.of(new Dimension("ApiId", "a1"), new Dimension("Stage", "$default"))),
                    60,
                    "Sum",
                    "Count",
                    null,
                    "L",
                    false,
                    "210987654321")),
            Instant.ofEpochSecond(1764064200),
            Instant.ofEpochSecond(1764064800, 250_000_000),
            "t",
            "TimestampAscending",
            100);
    for (AwsRequest request :
        List.of(
            json("GetMetricData", GET_METRIC_DATA_JSON),
            cbor("GetMetricData", GET_METRIC_DATA_JSON, true))) {
      CloudWatchCodec codec = CloudWatchProtocol.of(request).codec();
      assertThat(codec.operation(request)).isEqualTo("GetMetricData");
      assertThat(codec.getMetricData(request)).isEqualTo(expected);
      assertThat(codec.nextToken(request)).isEqualTo("t");
    }
  }

  @Test
  void bothDecodeEveryListMetricsField() throws IOException {
    String body =
        """
        {"Namespace": "AWS/ApiGateway", "MetricName": "Latency", "Dimensions": [{"Name": "ApiName", "Value": "x"},
         {"Name": "Stage"}], "NextToken": "lm-500", "RecentlyActive": "PT3H", "IncludeLinkedAccounts": true,
         "OwningAccount": "210987654321"}""";
    ListMetricsRequest expected =
        new ListMetricsRequest(
            "AWS/ApiGateway",
            "Latency",
            List.of(new Dimension("ApiName", "x"), new Dimension("Stage", null)),
            "lm-500",
            "PT3H",
            true,
            "210987654321");
    for (AwsRequest request : List.of(json("ListMetrics", body), cbor("ListMetrics", body, true))) {
      assertThat(CloudWatchProtocol.of(request).codec().listMetrics(request)).isEqualTo(expected);
    }
  }

  @Test
  void jsonAnswersCarryEpochSecondsAndOwningAccounts() throws IOException {
    CloudWatchCodec codec = CloudWatchProtocol.AWS_JSON_1_0.codec();
    AwsResponse data =
        codec.encode(
            new GetMetricDataResult(
                List.of(
                    new MetricDataResult(
                        "q0",
                        "Count",
                        List.of(
                            Instant.ofEpochSecond(1764064200),
                            Instant.ofEpochSecond(1764064260, 500_000_000)),
                        List.of(1.5, 2.0),
                        "PartialData",
                        List.of(new MessageData("c", "v")))),
                List.of(),
                "gmd-1"));
    assertThat(data.contentType()).isEqualTo("application/x-amz-json-1.0");
    JsonNode tree = JSON.readTree(data.body());
    JsonNode result = tree.path("MetricDataResults").get(0);
    assertThat(result.path("Timestamps").get(0).isIntegralNumber()).isTrue();
    assertThat(result.path("Timestamps").get(0).asLong()).isEqualTo(1764064200L);
    assertThat(result.path("Timestamps").get(1).asDouble()).isEqualTo(1764064260.5);
    assertThat(result.path("Values").get(0).asDouble()).isEqualTo(1.5);
    assertThat(result.path("StatusCode").asText()).isEqualTo("PartialData");
    assertThat(result.path("Messages").get(0).path("Code").asText()).isEqualTo("c");
    assertThat(tree.path("NextToken").asText()).isEqualTo("gmd-1");

    AwsResponse listed =
        codec.encode(
            new ListMetricsResult(
                List.of(
                    new Metric("AWS/ApiGateway", "Count", List.of(new Dimension("ApiId", "a1")))),
                List.of("210987654321"),
                null));
    JsonNode list = JSON.readTree(listed.body());
    assertThat(list.path("OwningAccounts").get(0).asText()).isEqualTo("210987654321");
    assertThat(list.has("NextToken")).isFalse();
    JsonNode own =
        JSON.readTree(codec.encode(new ListMetricsResult(List.of(), List.of(), null)).body());
    assertThat(own.has("OwningAccounts")).isFalse(); // only with IncludeLinkedAccounts
  }

  @Test
  void cborAnswersTagTimestampsAsEpochTimes() throws IOException {
    AwsResponse data =
        CloudWatchProtocol.RPC_V2_CBOR
            .codec()
            .encode(
                new GetMetricDataResult(
                    List.of(
                        new MetricDataResult(
                            "q0",
                            "Count",
                            List.of(Instant.ofEpochSecond(1764064200)),
                            List.of(3.0),
                            "Complete",
                            List.of())),
                    List.of(),
                    null));
    assertThat(data.contentType()).isEqualTo("application/cbor");
    assertThat(data.headers()).containsEntry("smithy-protocol", "rpc-v2-cbor");
    List<Integer> timestampTags = new ArrayList<>();
    try (CBORParser parser = new CBORFactory().createParser(data.body())) {
      boolean inTimestamps = false;
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token == JsonToken.FIELD_NAME) {
          inTimestamps = parser.currentName().equals("Timestamps");
        } else if (inTimestamps && token.isNumeric()) {
          timestampTags.add(parser.getCurrentTag());
          assertThat(parser.getLongValue()).isEqualTo(1764064200L);
        }
      }
    }
    assertThat(timestampTags).containsExactly(1);
  }

  @Test
  void errorsNameTheShapeAndCarryTheQueryCode() throws IOException {
    for (CloudWatchProtocol protocol :
        List.of(CloudWatchProtocol.AWS_JSON_1_0, CloudWatchProtocol.RPC_V2_CBOR)) {
      ObjectMapper mapper = protocol == CloudWatchProtocol.AWS_JSON_1_0 ? JSON : CBOR;
      AwsResponse modeled =
          protocol.codec().encode(new CloudWatchError(400, "Sender", "InvalidNextToken", "no"));
      assertThat(modeled.status()).isEqualTo(400);
      assertThat(modeled.headers()).containsEntry("x-amzn-query-error", "InvalidNextToken;Sender");
      assertThat(mapper.readTree(modeled.body()).path("__type").asText())
          .isEqualTo("com.amazonaws.cloudwatch#InvalidNextToken");
      assertThat(mapper.readTree(modeled.body()).path("message").asText()).isEqualTo("no");
      AwsResponse renamed =
          protocol.codec().encode(new CloudWatchError(400, "Sender", "InvalidParameterValue", "v"));
      assertThat(mapper.readTree(renamed.body()).path("__type").asText())
          .isEqualTo("com.amazonaws.cloudwatch#InvalidParameterValueException");
      AwsResponse common =
          protocol.codec().encode(new CloudWatchError(500, "Receiver", "InternalFailure", "x"));
      assertThat(common.status()).isEqualTo(500);
      assertThat(common.headers()).containsEntry("x-amzn-query-error", "InternalFailure;Receiver");
      assertThat(mapper.readTree(common.body()).path("__type").asText())
          .isEqualTo("InternalFailure");
    }
    AwsResponse xml =
        CloudWatchProtocol.AWS_QUERY
            .codec()
            .encode(new CloudWatchError(400, "Sender", "Throttling", "a<b"));
    assertThat(new String(xml.body(), StandardCharsets.UTF_8))
        .contains("<Type>Sender</Type><Code>Throttling</Code><Message>a&lt;b</Message>");
  }

  @Test
  void aRequestThatIsNotTheProtocolIsRefused() throws IOException {
    CloudWatchError noHeader =
        catchThrowableOfType(
            CloudWatchError.class,
            () -> {
              AwsRequest request = cbor("ListMetrics", "{}", false);
              CloudWatchProtocol.of(request).codec().operation(request);
            });
    assertThat(noHeader.code()).isEqualTo("UnknownOperationException");
    AwsRequest otherService =
        new AwsRequest(
            "POST",
            "/",
            null,
            Map.of("X-Amz-Target", List.of("Logs_20140328.ListMetrics")),
            new byte[0],
            "monitoring",
            "eu-west-1",
            "AKIDTEST");
    assertThat(
            catchThrowableOfType(
                    CloudWatchError.class,
                    () -> CloudWatchProtocol.of(otherService).codec().operation(otherService))
                .code())
        .isEqualTo("UnknownOperationException");
    AwsRequest garbage = json("GetMetricData", "{not json");
    assertThat(
            catchThrowableOfType(
                    CloudWatchError.class,
                    () -> CloudWatchProtocol.of(garbage).codec().getMetricData(garbage))
                .code())
        .isEqualTo("SerializationException");
  }
}
