package io.github.apigatewayotel.testing.otlp;

import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.resource.v1.Resource;

/** One decoded OTLP metric with the resource and scope it was sent under. */
public record ReceivedMetric(Resource resource, InstrumentationScope scope, Metric metric) {

  public String name() {
    return metric.getName();
  }
}
