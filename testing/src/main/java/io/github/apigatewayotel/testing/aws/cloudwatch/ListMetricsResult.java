package io.github.apigatewayotel.testing.aws.cloudwatch;

import java.util.List;

/**
 * A ListMetrics answer, whatever protocol carries it.
 *
 * @param owningAccounts with {@code IncludeLinkedAccounts}, the account of each metric, by
 *     position; empty otherwise (and then not sent)
 * @param nextToken null on the last page
 */
public record ListMetricsResult(
    List<Metric> metrics, List<String> owningAccounts, String nextToken) {
  public ListMetricsResult {
    metrics = List.copyOf(metrics);
    owningAccounts = List.copyOf(owningAccounts);
  }
}
