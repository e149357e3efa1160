package io.github.apigatewayotel.logs.internal.red;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.metrics.data.DoubleExemplarData;

/**
 * One exemplar: a measured value with the trace of the request it came from. Our own record rather
 * than the SDK's implementation, so the jar works with whatever SDK version the host runs.
 *
 * @param filteredAttributes the request's own attributes left out of the point ({@code
 *     aws.request_id}), so a backend can jump from a bucket to the access-log record too
 *     <p>This class is internal and is hence not for public use. Its APIs are unstable and can
 *     change at any time.
 */
record ExemplarRecord(
    double value, long epochNanos, SpanContext spanContext, Attributes filteredAttributes)
    implements DoubleExemplarData {

  @Override
  public double getValue() {
    return value;
  }

  @Override
  public Attributes getFilteredAttributes() {
    return filteredAttributes;
  }

  @Override
  public long getEpochNanos() {
    return epochNanos;
  }

  @Override
  public SpanContext getSpanContext() {
    return spanContext;
  }
}
