package io.github.apigatewayotel.logs;

import java.util.Objects;

/**
 * Where an access-log line came from: a CloudWatch Logs group and stream (with the region and
 * account that own it), or a file. Sources create one per group/stream or file and reuse it.
 */
public final class LogOrigin {

  private final String logGroup;
  private final String logStream;
  private final String filePath;
  private final String cloudRegion;
  private final String cloudAccountId;

  private LogOrigin(
      String logGroup, String logStream, String filePath, String cloudRegion, String cloudAccountId) {
    this.logGroup = logGroup;
    this.logStream = logStream;
    this.filePath = filePath;
    this.cloudRegion = cloudRegion;
    this.cloudAccountId = cloudAccountId;
  }

  /** A line read from CloudWatch Logs; region and account may be null when unknown. */
  public static LogOrigin cloudWatchLogs(
      String logGroup, String logStream, String cloudRegion, String cloudAccountId) {
    return new LogOrigin(
        Objects.requireNonNull(logGroup, "logGroup"), logStream, null, cloudRegion, cloudAccountId);
  }

  /** A line read from a file. */
  public static LogOrigin file(String path) {
    return new LogOrigin(null, null, Objects.requireNonNull(path, "path"), null, null);
  }

  /** An origin that names nothing: lines handed over directly (tests, embedding). */
  public static LogOrigin unknown() {
    return new LogOrigin(null, null, null, null, null);
  }

  /** The CloudWatch Logs group, or null. */
  public String logGroup() {
    return logGroup;
  }

  /** The CloudWatch Logs stream, or null. */
  public String logStream() {
    return logStream;
  }

  /** The file path, or null. */
  public String filePath() {
    return filePath;
  }

  /** The AWS region that owns the log group, or null. */
  public String cloudRegion() {
    return cloudRegion;
  }

  /** The AWS account that owns the log group, or null. */
  public String cloudAccountId() {
    return cloudAccountId;
  }

  @Override
  public String toString() {
    return logGroup != null ? logGroup + "/" + logStream : filePath != null ? filePath : "unknown";
  }
}
