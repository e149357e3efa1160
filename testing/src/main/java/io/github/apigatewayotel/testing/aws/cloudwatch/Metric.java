package io.github.apigatewayotel.testing.aws.cloudwatch;

import java.util.List;

/** A CloudWatch metric: its namespace, name and dimensions, in the order they travel. */
public record Metric(String namespace, String metricName, List<Dimension> dimensions) {
  public Metric {
    dimensions = List.copyOf(dimensions);
  }
}
