package io.github.apigatewayotel.spi.internal;

import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricProducer;
import io.opentelemetry.sdk.resources.Resource;
import java.util.Collection;
import java.util.List;

/**
 * Registered with the meter provider while autoconfigure builds it, bound to the receiver once the
 * plugin's thread has built it: the receiver needs the finished SDK (for its own counters) and AWS
 * look-ups that must not run during the host's start-up. Empty until then.
 */
final class DeferredMetricProducer implements MetricProducer {

  private volatile MetricProducer delegate;

  void set(MetricProducer producer) {
    this.delegate = producer;
  }

  @Override
  public Collection<MetricData> produce(Resource resource) {
    MetricProducer current = delegate;
    return current == null ? List.of() : current.produce(resource);
  }
}
