package io.github.apigatewayotel.testing.aws;

import io.github.apigatewayotel.testing.aws.cloudwatch.CloudWatchError;
import io.github.apigatewayotel.testing.aws.cloudwatch.CloudWatchProtocol;

/**
 * The error answers AWS services really give, each in the protocol of the request it answers, so
 * the AWS SDK parses them into the same exceptions (and retry decisions) as in production:
 * CloudWatch in whichever of its protocols the request speaks (awsQuery XML, or JSON 1.0 and CBOR
 * with the awsQuery code in {@code x-amzn-query-error}), STS awsQuery, CloudWatch Logs and the
 * tagging API awsJson 1.1, API Gateway restJson1.
 */
public final class AwsFaultResponses {

  /** The wire protocols of the simulated services. */
  public enum Protocol {
    AWS_QUERY,
    AWS_JSON,
    RPC_V2_CBOR,
    REST_JSON
  }

  private static final String EXPIRED_MESSAGE =
      "The security token included in the request is expired";

  private AwsFaultResponses() {}

  public static Protocol protocolOf(AwsRequest request) {
    if (request.rpcV2Operation() != null) {
      return Protocol.RPC_V2_CBOR;
    }
    if (request.jsonTarget() != null) {
      return Protocol.AWS_JSON;
    }
    if ("POST".equals(request.method()) && request.formFields().containsKey("Action")) {
      return Protocol.AWS_QUERY;
    }
    return Protocol.REST_JSON;
  }

  /**
   * An error with an awsQuery code ({@code Throttling}, {@code ExpiredToken}...) as an awsQuery
   * service answers it: {@code <ErrorResponse>} XML, or, from CloudWatch (awsQuery-compatible) to a
   * JSON 1.0 or CBOR request, {@code __type} and {@code message} in that encoding with the header
   * {@code x-amzn-query-error: code;fault}.
   */
  public static AwsResponse queryError(
      AwsRequest request, int status, String fault, String code, String message) {
    if (isCloudWatch(request)) {
      return CloudWatchProtocol.of(request)
          .codec()
          .encode(new CloudWatchError(status, fault, code, message));
    }
    return AwsResponse.queryError(status, fault, code, message);
  }

  /**
   * Rate limiting: awsQuery {@code Throttling} (400), CloudWatch Logs {@code ThrottlingException}
   * (400), the tagging API {@code ThrottledException} (400), API Gateway {@code
   * TooManyRequestsException} (429).
   */
  public static AwsResponse throttling(AwsRequest request) {
    if (isCloudWatch(request)) {
      return queryError(request, 400, "Sender", "Throttling", "Rate exceeded");
    }
    return switch (protocolOf(request)) {
      case AWS_QUERY -> AwsResponse.queryError(400, "Sender", "Throttling", "Rate exceeded");
      case AWS_JSON ->
          AwsResponse.jsonError(
              400,
              "tagging".equals(request.service()) ? "ThrottledException" : "ThrottlingException",
              "Rate exceeded");
      case REST_JSON -> AwsResponse.restError(429, "TooManyRequestsException", "Too Many Requests");
      case RPC_V2_CBOR -> throw onlyCloudWatch();
    };
  }

  /** A 500 ({@code InternalFailure}) or 503 ({@code ServiceUnavailable}) answer. */
  public static AwsResponse serverError(AwsRequest request, int status) {
    boolean unavailable = status == 503;
    if (isCloudWatch(request)) {
      return queryError(
          request,
          status,
          "Receiver",
          unavailable ? "ServiceUnavailable" : "InternalFailure",
          "simulated server error");
    }
    return switch (protocolOf(request)) {
      case AWS_QUERY ->
          AwsResponse.queryError(
              status,
              "Receiver",
              unavailable ? "ServiceUnavailable" : "InternalFailure",
              "simulated server error");
      case AWS_JSON ->
          AwsResponse.jsonError(
              status,
              unavailable ? "ServiceUnavailableException" : "InternalFailure",
              "simulated server error");
      case REST_JSON ->
          AwsResponse.restError(
              status,
              unavailable ? "ServiceUnavailableException" : "InternalServerErrorException",
              "simulated server error");
      case RPC_V2_CBOR -> throw onlyCloudWatch();
    };
  }

  /**
   * Temporary credentials past their expiry: awsQuery {@code ExpiredToken} (400), awsJson {@code
   * ExpiredTokenException} (400), restJson {@code ExpiredTokenException} (403).
   */
  public static AwsResponse expiredToken(AwsRequest request) {
    if (isCloudWatch(request)) {
      return queryError(request, 400, "Sender", "ExpiredToken", EXPIRED_MESSAGE);
    }
    return switch (protocolOf(request)) {
      case AWS_QUERY -> AwsResponse.queryError(400, "Sender", "ExpiredToken", EXPIRED_MESSAGE);
      case AWS_JSON -> AwsResponse.jsonError(400, "ExpiredTokenException", EXPIRED_MESSAGE);
      case REST_JSON -> AwsResponse.restError(403, "ExpiredTokenException", EXPIRED_MESSAGE);
      case RPC_V2_CBOR -> throw onlyCloudWatch();
    };
  }

  /**
   * A principal without the IAM permission for {@code action} ({@code cloudwatch:GetMetricData}):
   * awsQuery {@code AccessDenied} (403), awsJson {@code AccessDeniedException} (400), restJson
   * {@code AccessDeniedException} (403), worded as AWS words it, naming the action; or, when {@code
   * action} is null, without naming it (older services and SCP denials do not).
   */
  public static AwsResponse accessDenied(AwsRequest request, String action) {
    String message =
        action == null
            ? "Access denied"
            : "User: arn:aws:iam::123456789012:user/reader is not authorized to perform: "
                + action
                + " because no identity-based policy allows the "
                + action
                + " action";
    if (isCloudWatch(request)) {
      return queryError(request, 403, "Sender", "AccessDenied", message);
    }
    return switch (protocolOf(request)) {
      case AWS_QUERY -> AwsResponse.queryError(403, "Sender", "AccessDenied", message);
      case AWS_JSON -> AwsResponse.jsonError(400, "AccessDeniedException", message);
      case REST_JSON -> AwsResponse.restError(403, "AccessDeniedException", message);
      case RPC_V2_CBOR -> throw onlyCloudWatch();
    };
  }

  /**
   * A pagination token the service no longer accepts: CloudWatch {@code InvalidNextToken} (400),
   * CloudWatch Logs {@code InvalidParameterException} (400, "The specified nextToken is invalid."),
   * restJson {@code BadRequestException} (400).
   */
  public static AwsResponse rejectedToken(AwsRequest request) {
    if (isCloudWatch(request)) {
      return queryError(
          request, 400, "Sender", "InvalidNextToken", "The service cannot process the NextToken");
    }
    return switch (protocolOf(request)) {
      case AWS_QUERY ->
          AwsResponse.queryError(
              400, "Sender", "InvalidNextToken", "The service cannot process the NextToken");
      case AWS_JSON ->
          AwsResponse.jsonError(
              400, "InvalidParameterException", "The specified nextToken is invalid.");
      case REST_JSON -> AwsResponse.restError(400, "BadRequestException", "Invalid position");
      case RPC_V2_CBOR -> throw onlyCloudWatch();
    };
  }

  /**
   * Whether {@code request} continues a pagination (carries a NextToken, nextToken or position).
   */
  public static boolean carriesToken(AwsRequest request) {
    if (isCloudWatch(request)) {
      return CloudWatchProtocol.of(request).codec().nextToken(request) != null;
    }
    return switch (protocolOf(request)) {
      case AWS_QUERY -> request.formFields().containsKey("NextToken");
      case RPC_V2_CBOR -> throw onlyCloudWatch();
      case AWS_JSON -> request.bodyText().contains("\"nextToken\"");
      case REST_JSON -> request.queryParameters().containsKey("position");
    };
  }

  /** Of the simulated services only CloudWatch speaks rpc-v2-cbor (and answers it above). */
  private static IllegalArgumentException onlyCloudWatch() {
    return new IllegalArgumentException(
        "an rpc-v2-cbor request to a service other than CloudWatch");
  }

  private static boolean isCloudWatch(AwsRequest request) {
    return "monitoring".equals(request.service());
  }
}
