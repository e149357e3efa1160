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
  private final String apiId;
  private final String stage;
  private final String apiType;

  private LogOrigin(
      String logGroup,
      String logStream,
      String filePath,
      String cloudRegion,
      String cloudAccountId,
      String apiId,
      String stage,
      String apiType) {
    this.logGroup = logGroup;
    this.logStream = logStream;
    this.filePath = filePath;
    this.cloudRegion = cloudRegion;
    this.cloudAccountId = cloudAccountId;
    this.apiId = apiId;
    this.stage = stage;
    this.apiType = apiType;
  }

  /** A line read from CloudWatch Logs; region and account may be null when unknown. */
  public static LogOrigin cloudWatchLogs(
      String logGroup, String logStream, String cloudRegion, String cloudAccountId) {
    return new LogOrigin(
        Objects.requireNonNull(logGroup, "logGroup"),
        logStream,
        null,
        cloudRegion,
        cloudAccountId,
        null,
        null,
        null);
  }

  /** A line read from a file. */
  public static LogOrigin file(String path) {
    return new LogOrigin(
        null, null, Objects.requireNonNull(path, "path"), null, null, null, null, null);
  }

  /** An origin that names nothing: lines handed over directly (tests, embedding). */
  public static LogOrigin unknown() {
    return new LogOrigin(null, null, null, null, null, null, null, null);
  }

  /**
   * The same origin, known to hold the access logs of one API stage (from the stage's {@code
   * accessLogSettings}): records of lines whose format has no {@code $context.apiId} or {@code
   * $context.stage} still name the API and stage.
   */
  public LogOrigin withApiStage(String apiId, String stage) {
    return withApiStage(apiId, stage, null);
  }

  /**
   * As {@link #withApiStage(String, String)}, with the API's type ({@code rest}, {@code http},
   * {@code websocket}; null when unknown): records then also carry {@code aws.apigateway.api.type}
   * and the stage's ARN as {@code cloud.resource_id}, as metrics do.
   */
  public LogOrigin withApiStage(String apiId, String stage, String apiType) {
    return new LogOrigin(
        logGroup, logStream, filePath, cloudRegion, cloudAccountId, apiId, stage, apiType);
  }

  /** The type of the API whose stage writes here, when known from discovery; else null. */
  public String apiType() {
    return apiType;
  }

  /** The API whose stage writes here, when known from discovery; else null. */
  public String apiId() {
    return apiId;
  }

  /** The stage that writes here, when known from discovery; else null. */
  public String stage() {
    return stage;
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
