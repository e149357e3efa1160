package io.github.apigatewayotel.logs.internal;

/**
 * Size limits on one access-log line.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class LineLimits {

  /**
   * Longest line parsed, in chars: 256 KiB, CloudWatch Logs' long-standing maximum event size (the
   * PutLogEvents reference now allows 1 MB per event, but API Gateway access-log lines are a few
   * hundred bytes, so a longer line is not an access log worth parsing). Longer lines are emitted
   * with the body cut to this length and {@code error.type} set; file sources never buffer more
   * than this of one line, so a huge line cannot exhaust memory.
   */
  public static final int MAX_LINE_CHARS = 256 * 1024;

  private LineLimits() {}
}
