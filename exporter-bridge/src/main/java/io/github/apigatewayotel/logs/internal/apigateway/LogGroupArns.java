package io.github.apigatewayotel.logs.internal.apigateway;

/**
 * Reads the log group name out of an access-log destination ARN: {@code
 * arn:<partition>:logs:<region>:<account>:log-group:<name>}, with or without the trailing {@code
 * :*} the console adds. Log group names cannot hold a colon, so the name is the sixth field.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class LogGroupArns {

  private static final int NAME_FIELD = 6;

  private LogGroupArns() {}

  /** The group name, or null when the ARN is not a CloudWatch Logs group (e.g. Firehose). */
  public static String logGroupName(String arn) {
    if (arn == null) {
      return null;
    }
    String[] fields = arn.split(":", -1);
    if (fields.length < NAME_FIELD + 1
        || !fields[0].equals("arn")
        || !fields[2].equals("logs")
        || !fields[5].equals("log-group")
        || fields[NAME_FIELD].isEmpty()) {
      return null;
    }
    boolean plainOrWildcard =
        fields.length == NAME_FIELD + 1
            || (fields.length == NAME_FIELD + 2 && fields[NAME_FIELD + 1].equals("*"));
    return plainOrWildcard ? fields[NAME_FIELD] : null;
  }
}
