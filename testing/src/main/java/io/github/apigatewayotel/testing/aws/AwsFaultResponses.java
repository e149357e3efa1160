package io.github.apigatewayotel.testing.aws;

/**
 * The error answers AWS services really give, each in the protocol of the request it answers, so
 * the AWS SDK parses them into the same exceptions (and retry decisions) as in production:
 * CloudWatch and STS speak awsQuery, CloudWatch Logs and the tagging API awsJson 1.1, API Gateway
 * restJson1.
 */
public final class AwsFaultResponses {

  /** The wire protocols of the simulated services. */
  public enum Protocol {
    AWS_QUERY,
    AWS_JSON,
    REST_JSON
  }

  private static final String EXPIRED_MESSAGE =
      "The security token included in the request is expired";

  private AwsFaultResponses() {}

  public static Protocol protocolOf(AwsRequest request) {
    if (request.jsonTarget() != null) {
      return Protocol.AWS_JSON;
    }
    if ("POST".equals(request.method()) && request.formFields().containsKey("Action")) {
      return Protocol.AWS_QUERY;
    }
    return Protocol.REST_JSON;
  }

  /**
   * Rate limiting: awsQuery {@code Throttling} (400), CloudWatch Logs {@code ThrottlingException}
   * (400), the tagging API {@code ThrottledException} (400), API Gateway {@code
   * TooManyRequestsException} (429).
   */
  public static AwsResponse throttling(AwsRequest request) {
    return switch (protocolOf(request)) {
      case AWS_QUERY -> AwsResponse.queryError(400, "Sender", "Throttling", "Rate exceeded");
      case AWS_JSON ->
          AwsResponse.jsonError(
              400,
              "tagging".equals(request.service()) ? "ThrottledException" : "ThrottlingException",
              "Rate exceeded");
      case REST_JSON -> AwsResponse.restError(429, "TooManyRequestsException", "Too Many Requests");
    };
  }

  /** A 500 ({@code InternalFailure}) or 503 ({@code ServiceUnavailable}) answer. */
  public static AwsResponse serverError(AwsRequest request, int status) {
    boolean unavailable = status == 503;
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
    };
  }

  /**
   * Temporary credentials past their expiry: awsQuery {@code ExpiredToken} (400), awsJson {@code
   * ExpiredTokenException} (400), restJson {@code ExpiredTokenException} (403).
   */
  public static AwsResponse expiredToken(AwsRequest request) {
    return switch (protocolOf(request)) {
      case AWS_QUERY -> AwsResponse.queryError(400, "Sender", "ExpiredToken", EXPIRED_MESSAGE);
      case AWS_JSON -> AwsResponse.jsonError(400, "ExpiredTokenException", EXPIRED_MESSAGE);
      case REST_JSON -> AwsResponse.restError(403, "ExpiredTokenException", EXPIRED_MESSAGE);
    };
  }

  /**
   * A principal without the IAM permission for {@code action} ({@code cloudwatch:GetMetricData}):
   * awsQuery {@code AccessDenied} (403), awsJson {@code AccessDeniedException} (400), restJson
   * {@code AccessDeniedException} (403), worded as AWS words it, naming the action; or, when
   * {@code action} is null, without naming it (older services and SCP denials do not).
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
    return switch (protocolOf(request)) {
      case AWS_QUERY -> AwsResponse.queryError(403, "Sender", "AccessDenied", message);
      case AWS_JSON -> AwsResponse.jsonError(400, "AccessDeniedException", message);
      case REST_JSON -> AwsResponse.restError(403, "AccessDeniedException", message);
    };
  }

  /**
   * A pagination token the service no longer accepts: CloudWatch {@code InvalidNextToken} (400),
   * CloudWatch Logs {@code InvalidParameterException} (400, "The specified nextToken is invalid."),
   * restJson {@code BadRequestException} (400).
   */
  public static AwsResponse rejectedToken(AwsRequest request) {
    return switch (protocolOf(request)) {
      case AWS_QUERY ->
          AwsResponse.queryError(
              400, "Sender", "InvalidNextToken", "The service cannot process the NextToken");
      case AWS_JSON ->
          AwsResponse.jsonError(
              400, "InvalidParameterException", "The specified nextToken is invalid.");
      case REST_JSON -> AwsResponse.restError(400, "BadRequestException", "Invalid position");
    };
  }

  /** Whether {@code request} continues a pagination (carries a NextToken, nextToken or position). */
  public static boolean carriesToken(AwsRequest request) {
    return switch (protocolOf(request)) {
      case AWS_QUERY -> request.formFields().containsKey("NextToken");
      case AWS_JSON -> request.bodyText().contains("\"nextToken\"");
      case REST_JSON -> request.queryParameters().containsKey("position");
    };
  }
}
