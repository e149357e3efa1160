package io.github.apigatewayotel.logs.internal;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.contrib.awsxray.propagator.AwsXrayPropagator;

/**
 * Turns {@code $context.xrayTraceId} into a span context with the OTel X-Ray propagator, which owns
 * the X-Ray id grammar ({@code 1-5759e988-bd862e3fe1be46a994272793}, a shortened epoch part, the
 * header form {@code Root=...;Parent=...;Sampled=1}) and its conversion to a W3C trace id.
 *
 * <p>The propagator reads request headers, where a context without a {@code Parent} segment id is
 * no context at all. An access log line names the trace even without it, and the SDK drops a span
 * context whose span id is invalid, trace id included. So a value without {@code Parent} gets one
 * derived from the request id: deterministic, stable across re-reads, never the id of a real span.
 * Backends join logs to traces by trace id, which is exact.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class XrayTraceContext {

  private static final AwsXrayPropagator PROPAGATOR = AwsXrayPropagator.getInstance();
  private static final String ROOT_PREFIX = "Root=";
  private static final String PARENT_PREFIX = "Parent=";
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  /** The value, handed to the propagator as the one header it reads ({@code X-Amzn-Trace-Id}). */
  private static final TextMapGetter<String> HEADER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String header) {
          return PROPAGATOR.fields();
        }

        @Override
        public String get(String header, String key) {
          return PROPAGATOR.fields().contains(key) ? header : null;
        }
      };

  private XrayTraceContext() {}

  /** Returns the span context, or null when the value is not an X-Ray trace id. */
  public static SpanContext fromXrayTraceId(String value, String requestId) {
    String header =
        value.startsWith(ROOT_PREFIX) || value.indexOf(';') >= 0 ? value : ROOT_PREFIX + value;
    if (!header.contains(PARENT_PREFIX)) {
      header += ";" + PARENT_PREFIX + derivedSpanId(requestId != null ? requestId : value);
    }
    SpanContext spanContext =
        Span.fromContext(PROPAGATOR.extract(Context.root(), header, HEADER)).getSpanContext();
    return spanContext.isValid() ? spanContext : null;
  }

  private static String derivedSpanId(String seed) {
    long hash = FNV_OFFSET;
    for (int i = 0; i < seed.length(); i++) {
      hash ^= seed.charAt(i);
      hash *= FNV_PRIME;
    }
    if (hash == 0) {
      hash = 1;
    }
    return SpanId.fromLong(hash);
  }
}
