package io.github.apigatewayotel.logs.internal.execution;

import io.github.apigatewayotel.logs.RequestTraceContexts;
import io.github.apigatewayotel.logs.internal.CompiledTemplate;
import io.github.apigatewayotel.logs.internal.LineValues;

/**
 * Remembers, for the execution log, the trace each access-log line names: its {@code
 * $context.requestId} and {@code $context.xrayTraceId}, when the format has both. Thread-safe.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class TraceContextRecorder {

  private final RequestTraceContexts contexts;
  private volatile Slots recent;

  private record Slots(CompiledTemplate template, int requestId, int xrayTraceId) {}

  public TraceContextRecorder(RequestTraceContexts contexts) {
    this.contexts = contexts;
  }

  /** Records the line's trace; {@code values} hold the line parsed with {@code template}. */
  public void record(CompiledTemplate template, LineValues values) {
    Slots slots = recent;
    if (slots == null || slots.template != template) {
      slots =
          new Slots(
              template,
              template.variables().indexOf("context.requestId"),
              template.variables().indexOf("context.xrayTraceId"));
      recent = slots;
    }
    if (slots.requestId >= 0
        && slots.xrayTraceId >= 0
        && values.isPresent(slots.requestId)
        && values.isPresent(slots.xrayTraceId)) {
      contexts.remember(values.string(slots.requestId), values.string(slots.xrayTraceId));
    }
  }
}
