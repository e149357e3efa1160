package io.github.apigatewayotel.testing.aws;

import java.util.Objects;

/**
 * A stage's {@code accessLogSettings} as API Gateway returns them: the format typed into the "Log
 * format" box and the destination ARN, a CloudWatch Logs group ({@code
 * arn:aws:logs:{region}:{account}:log-group:{name}}, sometimes with a trailing {@code :*}) or a
 * Kinesis Data Firehose stream ({@code arn:aws:firehose:...}).
 */
public record AccessLogSettings(String destinationArn, String format) {

  private static final String LOG_GROUP_MARKER = ":log-group:";

  public AccessLogSettings {
    Objects.requireNonNull(destinationArn, "destinationArn");
    Objects.requireNonNull(format, "format");
  }

  /** Logging to the CloudWatch Logs group {@code logGroup}, ARN without the trailing {@code :*}. */
  public static AccessLogSettings toLogGroup(
      String region, String accountId, String logGroup, String format) {
    return new AccessLogSettings(logGroupArn(region, accountId, logGroup), format);
  }

  /** Logging to the CloudWatch Logs group with this exact ARN (e.g. one ending in {@code :*}). */
  public static AccessLogSettings toLogGroupArn(String logGroupArn, String format) {
    return new AccessLogSettings(logGroupArn, format);
  }

  /**
   * Logging to a Kinesis Data Firehose stream (REST APIs only; the name must start with {@code
   * amazon-apigateway-}).
   */
  public static AccessLogSettings toFirehose(
      String region, String accountId, String deliveryStream, String format) {
    return new AccessLogSettings(
        "arn:aws:firehose:" + region + ":" + accountId + ":deliverystream/" + deliveryStream,
        format);
  }

  public static String logGroupArn(String region, String accountId, String logGroup) {
    return "arn:aws:logs:" + region + ":" + accountId + ":log-group:" + logGroup;
  }

  /** The CloudWatch Logs group name, or null for a Firehose destination. */
  public String logGroupName() {
    int marker = destinationArn.indexOf(LOG_GROUP_MARKER);
    if (!destinationArn.contains(":logs:") || marker < 0) {
      return null;
    }
    String name = destinationArn.substring(marker + LOG_GROUP_MARKER.length());
    return name.endsWith(":*") ? name.substring(0, name.length() - 2) : name;
  }
}
