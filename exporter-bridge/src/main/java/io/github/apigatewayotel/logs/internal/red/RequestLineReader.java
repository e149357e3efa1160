package io.github.apigatewayotel.logs.internal.red;

import io.github.apigatewayotel.logs.LogOrigin;
import io.github.apigatewayotel.logs.internal.AwsPartition;
import io.github.apigatewayotel.logs.internal.CompiledTemplate;
import io.github.apigatewayotel.logs.internal.LineValues;
import io.github.apigatewayotel.logs.internal.RequestTimes;

/**
 * Reads what the request metrics need from a parsed access-log line, with the same rules as the log
 * record's attributes (DESIGN.md "Access logs"): the route from {@code $context.resourcePath} (a
 * template such as {@code /pets/{petId}}), else from the route key ({@code GET /pets}); never from
 * {@code $context.path}, the raw path, whose values are unbounded. Thread-safe: its caches are
 * immutable holders, and a lost race only costs a rebuild.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class RequestLineReader {

  private static final String OTHER_METHOD = "_OTHER";
  private static final String[] KNOWN_METHODS = {
    "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "CONNECT", "TRACE"
  };
  private static final String REST_TYPE = "rest";

  private final String defaultRegion;
  private final String defaultAccountId;
  private volatile TemplateSlots recentSlots;
  private volatile RecentStage recentStage;

  private record TemplateSlots(CompiledTemplate template, RequestLineSlots slots) {}

  /** The stage key of the last line, by the identity of what it was made of. */
  private record RecentStage(
      LogOrigin origin, String apiId, String stage, String accountId, StageKey key) {}

  public RequestLineReader(String defaultRegion, String defaultAccountId) {
    this.defaultRegion = defaultRegion;
    this.defaultAccountId = defaultAccountId;
  }

  /**
   * What the line contributes, or null when it cannot be counted: no {@code $context.status}, or
   * not an HTTP status. {@code values} hold the line parsed with {@code template}.
   */
  public RequestLine read(
      CompiledTemplate template, LineValues values, LogOrigin origin, long fallbackEpochMillis) {
    RequestLineSlots slots = slotsOf(template);
    long status = present(values, slots.status) ? values.nonNegativeLong(slots.status) : -1;
    if (status < 100 || status > 599) {
      return null;
    }
    String routeKey =
        present(values, slots.routeKey) ? template.recentString(values, slots.routeKey) : null;
    String route = null;
    if (present(values, slots.resourcePath)) {
      route = template.recentString(values, slots.resourcePath);
    } else if (routeKey != null) {
      int space = routeKey.indexOf(' ');
      if (space > 0 && space + 1 < routeKey.length()) {
        route = routeKey.substring(space + 1);
      }
    }
    RouteKey key = new RouteKey(method(values, slots.httpMethod), route, routeKey, (int) status);
    return new RequestLine(
        stageOf(template, values, slots, origin),
        key,
        requestTime(values, slots, fallbackEpochMillis),
        seconds(values, slots.responseLatency),
        seconds(values, slots.integrationLatency),
        number(values, slots.responseLength),
        present(values, slots.xrayTraceId) ? new LineTrace(values, slots) : null);
  }

  /** Reads the ids from the line's values when asked (during the line's emission only). */
  private record LineTrace(LineValues values, RequestLineSlots slots) implements RequestLine.Trace {
    @Override
    public String xrayTraceId() {
      return values.string(slots.xrayTraceId);
    }

    @Override
    public String requestId() {
      return present(values, slots.requestId) ? values.string(slots.requestId) : null;
    }
  }

  private RequestLineSlots slotsOf(CompiledTemplate template) {
    TemplateSlots recent = recentSlots;
    if (recent == null || recent.template != template) {
      recent = new TemplateSlots(template, RequestLineSlots.of(template));
      recentSlots = recent;
    }
    return recent.slots;
  }

  private StageKey stageOf(
      CompiledTemplate template, LineValues values, RequestLineSlots slots, LogOrigin origin) {
    RecentStage recent = recentStage;
    if (recent != null
        && recent.origin == origin
        && same(values, slots.apiId, recent.apiId)
        && same(values, slots.stage, recent.stage)
        && same(values, slots.accountId, recent.accountId)) {
      return recent.key; // the common case: the same stage as the line before, nothing allocated
    }
    String apiId = present(values, slots.apiId) ? template.recentString(values, slots.apiId) : null;
    String stage = present(values, slots.stage) ? template.recentString(values, slots.stage) : null;
    String account =
        present(values, slots.accountId) ? template.recentString(values, slots.accountId) : null;
    StageKey key = newStageKey(origin, apiId, stage, account);
    recentStage = new RecentStage(origin, apiId, stage, account, key);
    return key;
  }

  /** As the log record names the stage: the line's own values win, the log group's fill in. */
  private StageKey newStageKey(LogOrigin origin, String apiId, String stage, String account) {
    String region = origin.cloudRegion() != null ? origin.cloudRegion() : defaultRegion;
    String accountId =
        account != null
            ? account
            : origin.cloudAccountId() != null ? origin.cloudAccountId() : defaultAccountId;
    boolean originsStage =
        origin.apiId() != null
            && origin.stage() != null
            && (apiId == null || apiId.equals(origin.apiId()))
            && (stage == null || stage.equals(origin.stage()));
    String apiType = originsStage ? origin.apiType() : null;
    String arn = null;
    if (apiType != null && region != null) {
      arn =
          "arn:"
              + AwsPartition.of(region)
              + ":apigateway:"
              + region
              + "::/"
              + (REST_TYPE.equals(apiType) ? "restapis" : "apis")
              + "/"
              + origin.apiId()
              + "/stages/"
              + origin.stage();
    }
    return new StageKey(
        region,
        accountId,
        apiId != null ? apiId : origin.apiId(),
        stage != null ? stage : origin.stage(),
        apiType,
        arn);
  }

  private static long requestTime(LineValues values, RequestLineSlots slots, long fallback) {
    long time = RequestTimes.UNPARSEABLE;
    if (present(values, slots.requestTimeEpoch)) {
      long epoch = values.nonNegativeLong(slots.requestTimeEpoch);
      time =
          epoch >= 0
              ? RequestTimes.epochToMillis(epoch)
              : RequestTimes.parseEpoch(values.string(slots.requestTimeEpoch));
    }
    if (time == RequestTimes.UNPARSEABLE && present(values, slots.requestTime)) {
      time = RequestTimes.parseClf(values.string(slots.requestTime));
    }
    return time == RequestTimes.UNPARSEABLE ? fallback : time;
  }

  private static String method(LineValues values, int slot) {
    if (!present(values, slot)) {
      return null;
    }
    for (String known : KNOWN_METHODS) {
      if (values.equalsText(slot, known)) {
        return known;
      }
    }
    // Not the original: a client can send any token as a method, the metric's series must stay few.
    return OTHER_METHOD;
  }

  /** Whole milliseconds as seconds, or -1. */
  private static double seconds(LineValues values, int slot) {
    long millis = present(values, slot) ? values.nonNegativeLong(slot) : -1;
    return millis >= 0 ? millis / 1000.0 : -1;
  }

  private static double number(LineValues values, int slot) {
    long value = present(values, slot) ? values.nonNegativeLong(slot) : -1;
    return value >= 0 ? value : -1;
  }

  /** Whether the slot holds {@code previous} (null: absent). */
  private static boolean same(LineValues values, int slot, String previous) {
    return previous == null ? !present(values, slot) : values.equalsText(slot, previous);
  }

  private static boolean present(LineValues values, int slot) {
    return slot >= 0 && values.isPresent(slot);
  }
}
