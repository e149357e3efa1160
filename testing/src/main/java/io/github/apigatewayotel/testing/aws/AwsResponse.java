package io.github.apigatewayotel.testing.aws;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** What {@link FakeAwsServer} answers: a status, a content type, a body and extra headers. */
public record AwsResponse(
    int status, String contentType, byte[] body, Map<String, String> headers) {

  public static AwsResponse xml(int status, String xml) {
    return new AwsResponse(status, "text/xml", xml.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  /** An awsJson 1.1 answer. */
  public static AwsResponse awsJson(int status, String json) {
    return new AwsResponse(
        status, "application/x-amz-json-1.1", json.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  /** A restJson1 answer. */
  public static AwsResponse restJson(int status, String json) {
    return new AwsResponse(
        status, "application/json", json.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  /** An awsQuery error, e.g. {@code Throttling} with status 400. */
  public static AwsResponse queryError(int status, String type, String code, String message) {
    return xml(
        status,
        "<ErrorResponse><Error><Type>"
            + type
            + "</Type><Code>"
            + code
            + "</Code><Message>"
            + message
            + "</Message></Error><RequestId>fake-request-id</RequestId></ErrorResponse>");
  }

  /** An awsJson error, e.g. {@code ThrottlingException} with status 400. */
  public static AwsResponse jsonError(int status, String type, String message) {
    return awsJson(status, "{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}");
  }

  /** A restJson1 error: the type travels in {@code x-amzn-ErrorType}. */
  public static AwsResponse restError(int status, String type, String message) {
    return new AwsResponse(
        status,
        "application/json",
        ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8),
        Map.of("x-amzn-ErrorType", type));
  }
}
