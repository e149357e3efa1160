package io.github.apigatewayotel.receiver.internal;

import io.opentelemetry.api.common.Attributes;
import java.util.List;
import software.amazon.awssdk.services.cloudwatch.model.Metric;

/**
 * One CloudWatch series the receiver polls, resolved to its API. Small on purpose (an account may
 * hold hundreds of thousands): the metric's dimension list, the dimensions key and the attributes
 * are shared by every series of the same aggregation level.
 *
 * @param metric the series as sent in every query (canonical strings, shared dimension list)
 * @param dimensionsKey the sorted dimensions as text, shared per aggregation level
 * @param attributes the point attributes, shared per aggregation level
 */
public record MonitoredSeries(String region, Metric metric, String dimensionsKey, Attributes attributes, List<MetricDescriptor> descriptors) {

  /** A stable identity (region, metric, dimensions) for high-water marks; built on demand. */
  public String key() {
    return region + "|" + metric.metricName() + "|" + dimensionsKey;
  }
}
