package io.github.apigatewayotel.receiver;

import java.time.Duration;
import java.util.Locale;

/**
 * What polling one region costs at CloudWatch's public GetMetricData price, as the last discovery
 * planned it: each query (one series, one statistic) is one metric requested per poll interval,
 * however many periods it returns. A month is 30 days. ListMetrics calls of discoveries are
 * ordinary API requests (a million free a month) and are not in this estimate.
 *
 * @param region the AWS region
 * @param accountId the account polled, when the receiver reads several (roles, linked accounts);
 *     else null
 * @param queriesPerPoll GetMetricData queries per poll interval: the metric requests it bills
 * @param getMetricDataCallsPerPoll GetMetricData calls per poll interval (500 queries each at most)
 * @param pollInterval how often each query is polled
 * @param pricePerThousandMetricRequests US dollars per 1,000 metrics requested
 */
public record CloudWatchCost(
    String region,
    String accountId,
    int queriesPerPoll,
    int getMetricDataCallsPerPoll,
    Duration pollInterval,
    double pricePerThousandMetricRequests) {

  /** CloudWatch's public GetMetricData price (most regions): $0.01 per 1,000 metrics requested. */
  public static final double DEFAULT_PRICE_PER_THOUSAND_METRIC_REQUESTS = 0.01;

  /** The month of the estimates. */
  public static final Duration MONTH = Duration.ofDays(30);

  /** Polls of each query per 30-day month. */
  public double pollsPerMonth() {
    return (double) MONTH.toMillis() / pollInterval.toMillis();
  }

  /** Metrics requested (GetMetricData's billed unit) per 30-day month. */
  public double metricRequestsPerMonth() {
    return queriesPerPoll * pollsPerMonth();
  }

  /** US dollars per 30-day month at {@link #pricePerThousandMetricRequests}. */
  public double dollarsPerMonth() {
    return metricRequestsPerMonth() / 1000 * pricePerThousandMetricRequests;
  }

  /** The line the receiver logs after each discovery. */
  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "%s: %,d GetMetricData queries per poll (%,d calls), %,.0f polls per month "
            + "(every %s) -> %,.0f metric requests per month, about $%,.2f at $%s per 1,000 metrics requested",
        accountId == null ? region : region + " (account " + accountId + ")",
        queriesPerPoll,
        getMetricDataCallsPerPoll,
        pollsPerMonth(),
        interval(pollInterval),
        metricRequestsPerMonth(),
        dollarsPerMonth(),
        price(pricePerThousandMetricRequests));
  }

  private static String interval(Duration d) {
    if (d.toMillis() % 60_000 == 0) {
      return d.toMinutes() + " min";
    }
    return d.toMillis() % 1000 == 0 ? d.getSeconds() + " s" : d.toMillis() + " ms";
  }

  private static String price(double price) {
    return new java.math.BigDecimal(Double.toString(price)).stripTrailingZeros().toPlainString();
  }
}
