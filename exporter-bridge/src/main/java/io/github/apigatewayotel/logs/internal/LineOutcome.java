package io.github.apigatewayotel.logs.internal;

/**
 * What happened to one access-log line: the {@code outcome} attribute of the {@code
 * apigateway_otel.logs.lines} counter and, when something went wrong, the record's {@code
 * error.type}. Every line is emitted whatever its outcome.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public enum LineOutcome {
  /** The line fit the format. */
  PARSED("parsed", null),
  /** The line did not fit the format (truncated JSON, wrong field count, unbalanced quotes). */
  MISMATCH("mismatch", "aws.apigateway.access_log.mismatch"),
  /** The bytes were not valid UTF-8; decoded with U+FFFD replacements and parsed as such. */
  INVALID_UTF8("invalid_utf8", "aws.apigateway.access_log.invalid_utf8"),
  /** The line exceeded {@link LineLimits#MAX_LINE_CHARS}; the body is truncated, not parsed. */
  TOO_LONG("too_long", "aws.apigateway.access_log.too_long"),
  /** The line was empty or blank. */
  EMPTY("empty", "aws.apigateway.access_log.empty"),
  /** The bridge itself failed on the line (a bug); the record is still emitted if possible. */
  INTERNAL_ERROR("internal_error", "aws.apigateway.access_log.internal_error");

  private final String attributeValue;
  private final String errorType;

  LineOutcome(String attributeValue, String errorType) {
    this.attributeValue = attributeValue;
    this.errorType = errorType;
  }

  /** The value of the counter's {@code outcome} attribute. */
  public String attributeValue() {
    return attributeValue;
  }

  /** The record's {@code error.type}, or null for a parsed line. */
  public String errorType() {
    return errorType;
  }
}
