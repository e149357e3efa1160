package io.github.apigatewayotel.testing.aws.cloudwatch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import io.github.apigatewayotel.testing.aws.AwsRequest;
import io.github.apigatewayotel.testing.aws.AwsResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * CloudWatch's two document protocols, which carry the same shapes under the same member names and
 * differ only in how they frame and encode them: AWS JSON 1.0 ({@code POST /} with {@code
 * X-Amz-Target: GraniteServiceVersion20100801.<Op>}, {@code application/x-amz-json-1.0}, timestamps
 * as epoch seconds) and Smithy RPC v2 CBOR ({@code POST
 * /service/GraniteServiceVersion20100801/operation/<Op>} with {@code smithy-protocol: rpc-v2-cbor},
 * {@code application/cbor}, timestamps as CBOR tag 1 on epoch seconds). Both are read and written
 * by Jackson ({@code jackson-dataformat-cbor} for CBOR): a request as a tree (a CBOR tag is dropped
 * and its number kept), an answer streamed. Errors carry {@code __type} and {@code message}, and,
 * CloudWatch being awsQuery-compatible, the awsQuery code in {@code x-amzn-query-error}.
 */
final class JsonRpcCodec implements CloudWatchCodec {

  static final String SERVICE = "GraniteServiceVersion20100801";
  private static final String CBOR_PATH_PREFIX = "/service/" + SERVICE + "/operation/";

  private final ObjectMapper mapper;
  private final String contentType;
  private final Function<AwsRequest, String> operation;
  private final Map<String, String> answerHeaders;

  private JsonRpcCodec(
      JsonFactory factory,
      String contentType,
      Function<AwsRequest, String> operation,
      Map<String, String> answerHeaders) {
    this.mapper = new ObjectMapper(factory);
    this.contentType = contentType;
    this.operation = operation;
    this.answerHeaders = answerHeaders;
  }

  static JsonRpcCodec awsJson10() {
    return new JsonRpcCodec(
        new JsonFactory(), "application/x-amz-json-1.0", JsonRpcCodec::targetOperation, Map.of());
  }

  static JsonRpcCodec rpcV2Cbor() {
    return new JsonRpcCodec(
        new CBORFactory(),
        "application/cbor",
        JsonRpcCodec::cborOperation,
        Map.of("smithy-protocol", "rpc-v2-cbor"));
  }

  private static String targetOperation(AwsRequest request) {
    String target = request.header("X-Amz-Target");
    if (target == null || !target.startsWith(SERVICE + ".")) {
      throw new CloudWatchError(
          400, "Sender", "UnknownOperationException", "no operation " + target);
    }
    return target.substring(SERVICE.length() + 1);
  }

  private static String cborOperation(AwsRequest request) {
    if (!request.path().startsWith(CBOR_PATH_PREFIX)
        || !"rpc-v2-cbor".equals(request.header("smithy-protocol"))) {
      throw new CloudWatchError(
          400,
          "Sender",
          "UnknownOperationException",
          "an rpc-v2-cbor call is POST "
              + CBOR_PATH_PREFIX
              + "<Op> with smithy-protocol: rpc-v2-cbor");
    }
    return request.path().substring(CBOR_PATH_PREFIX.length());
  }

  @Override
  public String operation(AwsRequest request) {
    return operation.apply(request);
  }

  @Override
  public String nextToken(AwsRequest request) {
    return text(read(request), "NextToken");
  }

  @Override
  public ListMetricsRequest listMetrics(AwsRequest request) {
    JsonNode in = read(request);
    return new ListMetricsRequest(
        text(in, "Namespace"),
        text(in, "MetricName"),
        dimensions(in.path("Dimensions")),
        text(in, "NextToken"),
        text(in, "RecentlyActive"),
        in.path("IncludeLinkedAccounts").asBoolean(false),
        text(in, "OwningAccount"));
  }

  @Override
  public GetMetricDataRequest getMetricData(AwsRequest request) {
    JsonNode in = read(request);
    List<MetricDataQuery> queries = new ArrayList<>();
    for (JsonNode query : in.path("MetricDataQueries")) {
      JsonNode stat = query.path("MetricStat");
      JsonNode metric = stat.path("Metric");
      queries.add(
          new MetricDataQuery(
              text(query, "Id"),
              metric.isObject()
                  ? new Metric(
                      text(metric, "Namespace"),
                      text(metric, "MetricName"),
                      dimensions(metric.path("Dimensions")))
                  : null,
              integer(stat, "Period"),
              text(stat, "Stat"),
              text(stat, "Unit"),
              text(query, "Expression"),
              text(query, "Label"),
              query.has("ReturnData") ? query.get("ReturnData").asBoolean() : null,
              text(query, "AccountId")));
    }
    return new GetMetricDataRequest(
        queries,
        instant(in, "StartTime"),
        instant(in, "EndTime"),
        text(in, "NextToken"),
        text(in, "ScanBy"),
        integer(in, "MaxDatapoints"));
  }

  private JsonNode read(AwsRequest request) {
    try {
      JsonNode tree =
          request.body().length == 0 ? mapper.createObjectNode() : mapper.readTree(request.body());
      if (tree == null || !tree.isObject()) {
        throw CloudWatchError.malformed("the body is not an object");
      }
      return tree;
    } catch (IOException e) {
      throw CloudWatchError.malformed("unreadable body: " + e.getMessage());
    }
  }

  private static List<Dimension> dimensions(JsonNode list) {
    List<Dimension> dimensions = new ArrayList<>();
    for (JsonNode dimension : list) {
      dimensions.add(new Dimension(text(dimension, "Name"), text(dimension, "Value")));
    }
    return dimensions;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static Integer integer(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.canConvertToInt()) {
      throw CloudWatchError.validation(field + " is not an integer: " + value);
    }
    return value.intValue();
  }

  /** Epoch seconds, whole or fractional (in CBOR behind tag 1, which the tree does not keep). */
  private static Instant instant(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isNumber()) {
      throw CloudWatchError.validation(field + " is not a timestamp in epoch seconds: " + value);
    }
    BigDecimal seconds = value.decimalValue();
    long whole = seconds.longValue();
    return Instant.ofEpochSecond(
        whole, seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue());
  }

  @Override
  public AwsResponse encode(ListMetricsResult result) {
    return answer(
        200,
        Map.of(),
        out -> {
          out.writeStartObject();
          out.writeArrayFieldStart("Metrics");
          for (Metric metric : result.metrics()) {
            out.writeStartObject();
            out.writeStringField("Namespace", metric.namespace());
            out.writeStringField("MetricName", metric.metricName());
            out.writeArrayFieldStart("Dimensions");
            for (Dimension dimension : metric.dimensions()) {
              out.writeStartObject();
              out.writeStringField("Name", dimension.name());
              out.writeStringField("Value", dimension.value());
              out.writeEndObject();
            }
            out.writeEndArray();
            out.writeEndObject();
          }
          out.writeEndArray();
          if (!result.owningAccounts().isEmpty()) {
            out.writeArrayFieldStart("OwningAccounts");
            for (String account : result.owningAccounts()) {
              out.writeString(account);
            }
            out.writeEndArray();
          }
          if (result.nextToken() != null) {
            out.writeStringField("NextToken", result.nextToken());
          }
          out.writeEndObject();
        });
  }

  @Override
  public AwsResponse encode(GetMetricDataResult result) {
    return answer(
        200,
        Map.of(),
        out -> {
          out.writeStartObject();
          out.writeArrayFieldStart("MetricDataResults");
          for (MetricDataResult data : result.results()) {
            out.writeStartObject();
            out.writeStringField("Id", data.id());
            out.writeStringField("Label", data.label());
            out.writeArrayFieldStart("Timestamps");
            for (Instant time : data.timestamps()) {
              timestamp(out, time);
            }
            out.writeEndArray();
            out.writeArrayFieldStart("Values");
            for (Double value : data.values()) {
              out.writeNumber(value);
            }
            out.writeEndArray();
            out.writeStringField("StatusCode", data.statusCode());
            if (!data.messages().isEmpty()) {
              messages(out, data.messages());
            }
            out.writeEndObject();
          }
          out.writeEndArray();
          if (result.nextToken() != null) {
            out.writeStringField("NextToken", result.nextToken());
          }
          messages(out, result.messages());
          out.writeEndObject();
        });
  }

  private static void messages(JsonGenerator out, List<MessageData> messages) throws IOException {
    out.writeArrayFieldStart("Messages");
    for (MessageData message : messages) {
      out.writeStartObject();
      out.writeStringField("Code", message.code());
      out.writeStringField("Value", message.value());
      out.writeEndObject();
    }
    out.writeEndArray();
  }

  /** Epoch seconds, whole numbers as integers; in CBOR behind tag 1 (epoch-based date/time). */
  private static void timestamp(JsonGenerator out, Instant time) throws IOException {
    if (out instanceof CBORGenerator cbor) {
      cbor.writeTag(1);
    }
    if (time.getNano() == 0) {
      out.writeNumber(time.getEpochSecond());
    } else {
      out.writeNumber(time.getEpochSecond() + time.getNano() / 1e9);
    }
  }

  @Override
  public AwsResponse encode(CloudWatchError error) {
    return answer(
        error.status(),
        Map.of("x-amzn-query-error", error.queryErrorHeader()),
        out -> {
          out.writeStartObject();
          out.writeStringField("__type", error.errorType());
          out.writeStringField("message", String.valueOf(error.getMessage()));
          out.writeEndObject();
        });
  }

  private interface Body {
    void write(JsonGenerator out) throws IOException;
  }

  private AwsResponse answer(int status, Map<String, String> headers, Body body) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
    try (JsonGenerator out = mapper.getFactory().createGenerator(bytes)) {
      body.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> all = new java.util.HashMap<>(answerHeaders);
    all.putAll(headers);
    return new AwsResponse(status, contentType, bytes.toByteArray(), Map.copyOf(all));
  }
}
