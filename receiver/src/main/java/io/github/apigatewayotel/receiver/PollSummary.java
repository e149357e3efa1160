package io.github.apigatewayotel.receiver;

import java.time.Instant;
import java.util.List;

/**
 * What one poll did.
 *
 * @param windowStart start of the CloudWatch time range requested (inclusive, period-aligned)
 * @param windowEnd end of the range (exclusive): the newest period older than the delay
 * @param apis APIs known by discovery, all regions
 * @param series CloudWatch series polled
 * @param queries GetMetricData queries planned per poll (each is billed)
 * @param getMetricDataCalls GetMetricData calls made, pages included
 * @param datapointsReceived datapoints CloudWatch returned
 * @param pointsExported points handed to the metric producer (new periods only)
 * @param failedCalls batches or discoveries that failed after retries (tried again next poll)
 * @param problems human-readable problems met during the poll
 */
public record PollSummary(
    Instant windowStart,
    Instant windowEnd,
    int apis,
    int series,
    int queries,
    int getMetricDataCalls,
    long datapointsReceived,
    long pointsExported,
    int failedCalls,
    List<String> problems) {

  public PollSummary {
    problems = List.copyOf(problems);
  }
}
