package io.github.apigatewayotel.testing.aws.cloudwatch;

import java.util.List;

/**
 * A GetMetricData answer, whatever protocol carries it; {@code nextToken} null on the last page.
 */
public record GetMetricDataResult(
    List<MetricDataResult> results, List<MessageData> messages, String nextToken) {
  public GetMetricDataResult {
    results = List.copyOf(results);
    messages = List.copyOf(messages);
  }
}
