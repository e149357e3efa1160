package io.github.apigatewayotel.testing.aws.cloudwatch;

import java.util.Objects;

/**
 * A CloudWatch dimension. In a ListMetrics filter {@code value} may be null: any value of the
 * dimension matches.
 */
public record Dimension(String name, String value) {
  public Dimension {
    Objects.requireNonNull(name, "name");
  }
}
