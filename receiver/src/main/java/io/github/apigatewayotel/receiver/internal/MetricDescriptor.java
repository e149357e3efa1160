package io.github.apigatewayotel.receiver.internal;

/**
 * One row of the contract: a CloudWatch metric and statistic, and the OTel metric it becomes.
 *
 * @param statistic the CloudWatch statistic as GetMetricData spells it ({@code Sum}, {@code p99})
 * @param monotonicSum true for a monotonic Sum, false for a Gauge
 *     <p>This class is internal and is hence not for public use. Its APIs are unstable and can
 *     change at any time.
 */
public record MetricDescriptor(
    String cloudWatchMetric,
    String statistic,
    String otelName,
    boolean monotonicSum,
    String unit,
    String description) {}
