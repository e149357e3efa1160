package io.github.apigatewayotel.receiver.internal;

import io.opentelemetry.api.common.Attributes;
import java.util.List;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.Metric;

/**
 * One CloudWatch series the receiver polls, resolved to its API. Small on purpose (an account may
 * hold hundreds of thousands): the dimension list, the dimensions key and the attributes are shared
 * by every series of the same aggregation level, and the SDK's {@link Metric} (which copies its
 * dimension list) is only built while a batch is sent.
 *
 * @param metricName the CloudWatch metric name (one shared instance per name)
 * @param dimensions the series' dimensions, sorted by name, shared per aggregation level
 * @param dimensionsKey the sorted dimensions as text, shared per aggregation level
 * @param attributes the point attributes, shared per aggregation level
 * @param account the account that owns the series when the receiver reads several accounts (roles,
 *     or a monitoring account's linked accounts), so that same-named series of two accounts are two
 *     queries with two marks; null for a receiver of one account, whose keys name no account
 *     <p>This class is internal and is hence not for public use. Its APIs are unstable and can
 *     change at any time.
 */
public record MonitoredSeries(
    String region,
    String metricName,
    List<Dimension> dimensions,
    String dimensionsKey,
    Attributes attributes,
    List<MetricDescriptor> descriptors,
    String account) {

  /** A series of a receiver that reads one account. */
  public MonitoredSeries(
      String region,
      String metricName,
      List<Dimension> dimensions,
      String dimensionsKey,
      Attributes attributes,
      List<MetricDescriptor> descriptors) {
    this(region, metricName, dimensions, dimensionsKey, attributes, descriptors, null);
  }

  /**
   * A stable identity ([account,] region, metric, dimensions) for high-water marks; built on
   * demand. Without an account it is the key a one-account receiver always used, so its state
   * directory stays valid.
   */
  public String key() {
    String key = region + "|" + metricName + "|" + dimensionsKey;
    return account == null ? key : account + "/" + key;
  }

  /** The series as GetMetricData names it. */
  public Metric toMetric() {
    return Metric.builder()
        .namespace(SeriesLister.NAMESPACE)
        .metricName(metricName)
        .dimensions(dimensions)
        .build();
  }
}
