package io.github.apigatewayotel.testing.aws.cloudwatch;

import java.util.List;

/**
 * A ListMetrics call, whatever protocol carried it. Absent fields are null ({@code
 * includeLinkedAccounts}: false).
 *
 * @param dimensions the dimension filters (a null value matches any value)
 * @param recentlyActive {@code PT3H} to list only metrics that received data in the past three
 *     hours
 * @param includeLinkedAccounts in a monitoring account, whether to list the linked accounts'
 *     metrics too
 * @param owningAccount with {@code includeLinkedAccounts}, only the metrics of this account
 */
public record ListMetricsRequest(
    String namespace,
    String metricName,
    List<Dimension> dimensions,
    String nextToken,
    String recentlyActive,
    boolean includeLinkedAccounts,
    String owningAccount) {
  public ListMetricsRequest {
    dimensions = List.copyOf(dimensions);
  }
}
