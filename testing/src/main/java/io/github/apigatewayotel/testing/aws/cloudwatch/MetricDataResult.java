package io.github.apigatewayotel.testing.aws.cloudwatch;

import java.time.Instant;
import java.util.List;

/** One query's data in a GetMetricData answer: timestamps and values pair by position. */
public record MetricDataResult(
    String id,
    String label,
    List<Instant> timestamps,
    List<Double> values,
    String statusCode,
    List<MessageData> messages) {
  public MetricDataResult {
    if (timestamps.size() != values.size()) {
      throw new IllegalArgumentException("timestamps and values pair by position");
    }
    timestamps = List.copyOf(timestamps);
    values = List.copyOf(values);
    messages = List.copyOf(messages);
  }
}
