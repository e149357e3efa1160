package io.github.apigatewayotel.logs.internal;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;

/**
 * Turns {@code $context.xrayTraceId} into a span context, converting the X-Ray id
 * ({@code 1-5759e988-bd862e3fe1be46a994272793}, optionally in header form
 * {@code Root=...;Parent=...;Sampled=1}) to a W3C trace id the way the OTel X-Ray propagator does:
 * the 8 hex digits of the epoch and the 24 of the unique part, concatenated.
 *
 * <p>The SDK drops a span context whose span id is invalid, trace id included. When the value
 * carries a {@code Parent} segment id, that is the span id (the segment the request ran under).
 * Otherwise API Gateway's own segment id is not in the access log, so a span id is derived from
 * the request id: deterministic, stable across re-reads, never the id of a real span. Backends
 * join logs to traces by trace id, which is exact.
 */
public final class XrayTraceContext {

  private static final String ROOT_PREFIX = "Root=";
  private static final String PARENT_PREFIX = "Parent=";
  private static final String SAMPLED_PREFIX = "Sampled=";
  private static final int XRAY_ID_LENGTH = 35; // 1-8hex-24hex
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private XrayTraceContext() {}

  /** Returns the span context, or null when the value is not an X-Ray trace id. */
  public static SpanContext fromXrayTraceId(String value, String requestId) {
    String root = value;
    String parent = null;
    boolean sampled = false;
    if (value.indexOf(';') >= 0 || value.startsWith(ROOT_PREFIX)) {
      root = null;
      for (String part : value.split(";")) {
        String field = part.strip();
        if (field.startsWith(ROOT_PREFIX)) {
          root = field.substring(ROOT_PREFIX.length());
        } else if (field.startsWith(PARENT_PREFIX)) {
          parent = field.substring(PARENT_PREFIX.length());
        } else if (field.startsWith(SAMPLED_PREFIX)) {
          sampled = field.endsWith("1");
        }
      }
    }
    String traceId = w3cTraceId(root);
    if (traceId == null) {
      return null;
    }
    String spanId =
        parent != null && SpanId.isValid(parent) ? parent : derivedSpanId(requestId, traceId);
    return SpanContext.create(
        traceId,
        spanId,
        sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(),
        TraceState.getDefault());
  }

  /** {@code 1-5759e988-bd862e3fe1be46a994272793} -> {@code 5759e988bd862e3fe1be46a994272793}. */
  static String w3cTraceId(String xrayId) {
    if (xrayId == null
        || xrayId.length() != XRAY_ID_LENGTH
        || xrayId.charAt(0) != '1'
        || xrayId.charAt(1) != '-'
        || xrayId.charAt(10) != '-') {
      return null;
    }
    String traceId = xrayId.substring(2, 10) + xrayId.substring(11);
    for (int i = 0; i < traceId.length(); i++) {
      char c = traceId.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return null;
      }
    }
    return "00000000000000000000000000000000".equals(traceId) ? null : traceId;
  }

  private static String derivedSpanId(String requestId, String traceId) {
    String seed = requestId != null ? requestId : traceId;
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
