package io.github.apigatewayotel.testing.aws;

/**
 * How long one route's requests take during one minute: uniform between {@code fastestMs} and
 * {@code slowestMs}, except a {@code tailShare} of requests that hit a slow dependency and take
 * {@code tailExtraMs} more. Closed-form quantiles let CloudWatch statistics and sampled access-log
 * latencies come from the same distribution.
 */
public record LatencyProfile(
    double fastestMs, double slowestMs, double tailShare, double tailExtraMs) {

  public LatencyProfile {
    if (!(fastestMs >= 0 && slowestMs >= fastestMs)) {
      throw new IllegalArgumentException(
          "need 0 <= fastestMs <= slowestMs: " + fastestMs + ", " + slowestMs);
    }
    if (!(tailShare >= 0 && tailShare <= 1) || tailExtraMs < 0) {
      throw new IllegalArgumentException("tailShare must be in [0, 1] and tailExtraMs >= 0");
    }
  }

  /** The latency below which a share {@code q} (0..1) of the requests fall. */
  public double quantile(double q) {
    double body = 1 - tailShare;
    double span = slowestMs - fastestMs;
    if (tailShare == 0 || q <= body) {
      return fastestMs + span * Math.min(1, body == 0 ? 0 : q / body);
    }
    return fastestMs + tailExtraMs + span * Math.min(1, (q - body) / tailShare);
  }

  public double minimum() {
    return fastestMs;
  }

  public double maximum() {
    return slowestMs + (tailShare > 0 ? tailExtraMs : 0);
  }

  public double average() {
    return (fastestMs + slowestMs) / 2 + tailShare * tailExtraMs;
  }

  /**
   * The same requests seen from the integration: each spends {@code gatewayOverheadMs} in API
   * Gateway itself, so integration latency stays below latency at every statistic.
   */
  public LatencyProfile minus(double gatewayOverheadMs) {
    if (gatewayOverheadMs < 0 || gatewayOverheadMs > fastestMs) {
      throw new IllegalArgumentException(
          "overhead must be in [0, fastestMs]: " + gatewayOverheadMs);
    }
    return new LatencyProfile(
        fastestMs - gatewayOverheadMs, slowestMs - gatewayOverheadMs, tailShare, tailExtraMs);
  }
}
