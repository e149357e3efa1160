package io.github.apigatewayotel.logs.internal;

/** Size limits on one access-log line. */
public final class LineLimits {

  /**
   * Longest line parsed, in chars: 256 KiB, CloudWatch Logs' long-standing maximum event size
   * (PutLogEvents; AWS raised it to 1 MiB in 2025, but API Gateway access-log lines are a few
   * hundred bytes, so anything longer is not an access log). Longer lines are emitted with the
   * body cut to this length and {@code error.type} set, never buffered whole.
   */
  public static final int MAX_LINE_CHARS = 256 * 1024;

  private LineLimits() {}
}
