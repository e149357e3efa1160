package io.github.apigatewayotel.testing.aws.cloudwatch;

import java.time.Instant;
import java.util.List;

/** A GetMetricData call, whatever protocol carried it. Absent fields are null. */
public record GetMetricDataRequest(
    List<MetricDataQuery> queries,
    Instant startTime,
    Instant endTime,
    String nextToken,
    String scanBy,
    Integer maxDatapoints) {
  public GetMetricDataRequest {
    queries = List.copyOf(queries);
  }
}
