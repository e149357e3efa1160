package io.github.apigatewayotel.testing.aws.cloudwatch;

/**
 * One query of a GetMetricData call. Absent fields are null.
 *
 * @param metric the {@code MetricStat}'s metric; null for an expression query
 * @param period the {@code MetricStat}'s period in seconds
 * @param stat the {@code MetricStat}'s statistic ({@code Sum}, {@code p99}, ...)
 * @param accountId in a monitoring account, the account whose metric this is
 */
public record MetricDataQuery(
    String id,
    Metric metric,
    Integer period,
    String stat,
    String unit,
    String expression,
    String label,
    Boolean returnData,
    String accountId) {}
