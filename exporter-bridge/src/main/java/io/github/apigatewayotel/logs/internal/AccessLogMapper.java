package io.github.apigatewayotel.logs.internal;

import io.github.apigatewayotel.logs.LogOrigin;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.LogRecordBuilder;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.semconv.ClientAttributes;
import io.opentelemetry.semconv.ErrorAttributes;
import io.opentelemetry.semconv.HttpAttributes;
import io.opentelemetry.semconv.NetworkAttributes;
import io.opentelemetry.semconv.ServerAttributes;
import io.opentelemetry.semconv.UrlAttributes;
import io.opentelemetry.semconv.UserAgentAttributes;
import io.opentelemetry.semconv.incubating.AwsIncubatingAttributes;
import io.opentelemetry.semconv.incubating.CloudIncubatingAttributes;
import io.opentelemetry.semconv.incubating.HttpIncubatingAttributes;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Maps one parsed access-log line to one log record, exactly as DESIGN.md "Access logs" says:
 * timestamps, body, event name, severity from the status, trace context from the X-Ray id, and
 * semantic-convention attributes; every other variable becomes {@code
 * aws.apigateway.context.<path>}. A value of {@code -} (API Gateway's "no value") is absent.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class AccessLogMapper {

  public static final String EVENT_NAME = "aws.apigateway.access";
  public static final AttributeKey<String> API_ID = AttributeKey.stringKey("aws.apigateway.api.id");
  public static final AttributeKey<String> STAGE = AttributeKey.stringKey("aws.apigateway.stage");
  public static final AttributeKey<String> API_TYPE =
      AttributeKey.stringKey("aws.apigateway.api.type");
  public static final AttributeKey<String> ROUTE_KEY =
      AttributeKey.stringKey("aws.apigateway.route_key");
  public static final AttributeKey<String> APIGATEWAY_EXTENDED_REQUEST_ID =
      AttributeKey.stringKey("aws.apigateway.extended_request_id");

  private static final String ABSENT = "-";

  /** {@code aws.apigateway.api.type} of REST APIs, whose ARNs say {@code restapis}. */
  private static final String REST_TYPE = "rest";

  private static final String CLOUD_PROVIDER_AWS =
      CloudIncubatingAttributes.CloudProviderIncubatingValues.AWS;
  private static final String OTHER_METHOD = "_OTHER";
  private static final String HTTP_1_1 = "HTTP/1.1";

  /** Methods semantic conventions know; others are reported as {@code _OTHER} plus the original. */
  private static final String[] KNOWN_METHODS = {
    "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "CONNECT", "TRACE"
  };

  private final String defaultRegion;
  private final String defaultAccountId;

  /** Null keeps client.address as logged. */
  private final ClientAddressTransformer clientAddresses;

  private OriginAttributes recentOrigin;

  public AccessLogMapper(String defaultRegion, String defaultAccountId) {
    this(defaultRegion, defaultAccountId, null);
  }

  public AccessLogMapper(
      String defaultRegion, String defaultAccountId, ClientAddressTransformer clientAddresses) {
    this.defaultRegion = defaultRegion;
    this.defaultAccountId = defaultAccountId;
    this.clientAddresses = clientAddresses;
  }

  /**
   * Fills {@code record} for one line. {@code values} holds the parsed values when {@code outcome}
   * is PARSED or INVALID_UTF8 (decoded with replacements, parsed anyway), none otherwise. Returns
   * the body it set, the very String object (delivery tracking recognises it).
   */
  public String map(
      LogRecordBuilder record,
      CompiledTemplate template,
      String body,
      LineValues values,
      LineOutcome outcome,
      LogOrigin origin,
      long fallbackEpochMillis,
      long nowEpochMillis) {
    String emittedBody = body;
    record.setEventName(EVENT_NAME);
    record.setObservedTimestamp(nowEpochMillis, TimeUnit.MILLISECONDS);
    if (outcome.errorType() != null) {
      record.setAttribute(ErrorAttributes.ERROR_TYPE, outcome.errorType());
    }
    record.setAttribute(CloudIncubatingAttributes.CLOUD_PROVIDER, CLOUD_PROVIDER_AWS);
    long timestamp = RequestTimes.UNPARSEABLE;
    long clfTimestamp = RequestTimes.UNPARSEABLE;
    String requestId = null;
    String xrayTraceId = null;
    String accountId = null;
    boolean routeFromResourcePath = false;
    String routeFromRouteKey = null;
    long status = -1;
    String apiIdFromLine = null;
    String stageFromLine = null;
    for (int slot = 0; slot < values.slotCount(); slot++) {
      if (!values.isPresent(slot)) {
        continue;
      }
      VariableBinding binding = template.binding(slot);
      switch (binding.role()) {
        case CLIENT_ADDRESS -> emittedBody = setClientAddress(record, body, values.string(slot));
        case HTTP_METHOD -> setMethod(record, values, slot);
        case RESOURCE_PATH -> {
          // Resource paths are templates ({petId}): few distinct values, so reuse the String.
          record.setAttribute(HttpAttributes.HTTP_ROUTE, template.recentString(values, slot));
          routeFromResourcePath = true;
        }
        case ROUTE_KEY -> {
          String routeKey = values.string(slot);
          record.setAttribute(ROUTE_KEY, routeKey);
          int space = routeKey.indexOf(' ');
          if (space > 0 && space + 1 < routeKey.length()) {
            routeFromRouteKey = routeKey.substring(space + 1);
          }
        }
        case URL_PATH -> record.setAttribute(UrlAttributes.URL_PATH, values.string(slot));
        case STATUS -> {
          status = values.nonNegativeLong(slot);
          if (status >= 0) {
            record.setAttribute(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, Numbers.boxed(status));
          }
        }
        case PROTOCOL -> setProtocol(record, values, slot, template);
        case RESPONSE_LENGTH -> {
          long length = values.nonNegativeLong(slot);
          if (length >= 0) {
            record.setAttribute(
                HttpIncubatingAttributes.HTTP_RESPONSE_BODY_SIZE, Numbers.boxed(length));
          }
        }
        case REQUEST_ID -> {
          requestId = values.string(slot);
          record.setAttribute(AwsIncubatingAttributes.AWS_REQUEST_ID, requestId);
        }
        case AWS_EXTENDED_REQUEST_ID ->
            record.setAttribute(
                AwsIncubatingAttributes.AWS_EXTENDED_REQUEST_ID, values.string(slot));
        case APIGATEWAY_EXTENDED_REQUEST_ID ->
            record.setAttribute(APIGATEWAY_EXTENDED_REQUEST_ID, values.string(slot));
        case USER_AGENT ->
            record.setAttribute(UserAgentAttributes.USER_AGENT_ORIGINAL, values.string(slot));
        case DOMAIN_NAME ->
            record.setAttribute(
                ServerAttributes.SERVER_ADDRESS, template.recentString(values, slot));
        case API_ID -> {
          apiIdFromLine = template.recentString(values, slot);
          record.setAttribute(API_ID, apiIdFromLine);
        }
        case STAGE -> {
          stageFromLine = template.recentString(values, slot);
          record.setAttribute(STAGE, stageFromLine);
        }
        case ACCOUNT_ID -> accountId = template.recentString(values, slot);
        case REQUEST_TIME_EPOCH -> {
          long epoch = values.nonNegativeLong(slot);
          timestamp =
              epoch >= 0
                  ? RequestTimes.epochToMillis(epoch)
                  : RequestTimes.parseEpoch(values.string(slot));
        }
        case REQUEST_TIME -> clfTimestamp = RequestTimes.parseClf(values.string(slot));
        case XRAY_TRACE_ID -> xrayTraceId = values.string(slot);
        case GENERIC_NUMBER -> setNumber(record, binding, values.string(slot), false);
        case GENERIC_TYPED_BY_TEXT -> setNumber(record, binding, values.string(slot), true);
        case GENERIC_STRING -> record.setAttribute(binding.stringKey(), values.string(slot));
      }
    }
    if (!routeFromResourcePath && routeFromRouteKey != null) {
      record.setAttribute(HttpAttributes.HTTP_ROUTE, routeFromRouteKey);
    }
    if (timestamp == RequestTimes.UNPARSEABLE) {
      timestamp = clfTimestamp;
    }
    if (timestamp == RequestTimes.UNPARSEABLE) {
      timestamp = fallbackEpochMillis;
    }
    record.setTimestamp(timestamp, TimeUnit.MILLISECONDS);
    setSeverity(record, status);
    if (xrayTraceId != null) {
      SpanContext spanContext = XrayTraceContext.fromXrayTraceId(xrayTraceId, requestId);
      if (spanContext != null) {
        record.setContext(Context.root().with(Span.wrap(spanContext)));
      }
    }
    OriginAttributes known = setCloud(record, origin, accountId);
    // The line's own $context.apiId / $context.stage win; a group known to be one stage's fills in.
    if (apiIdFromLine == null && origin.apiId() != null) {
      record.setAttribute(API_ID, origin.apiId());
    }
    if (stageFromLine == null && origin.stage() != null) {
      record.setAttribute(STAGE, origin.stage());
    }
    // Type and ARN are the origin's stage's: only where the line does not name another one.
    if (known.stageArn != null
        && (apiIdFromLine == null || apiIdFromLine.equals(origin.apiId()))
        && (stageFromLine == null || stageFromLine.equals(origin.stage()))) {
      record.setAttribute(API_TYPE, origin.apiType());
      record.setAttribute(CloudIncubatingAttributes.CLOUD_RESOURCE_ID, known.stageArn);
    }
    record.setBody(emittedBody);
    return emittedBody;
  }

  /** Sets {@code client.address} by the policy; returns the body to emit (address rewritten). */
  private String setClientAddress(LogRecordBuilder record, String body, String address) {
    if (clientAddresses == null) {
      record.setAttribute(ClientAttributes.CLIENT_ADDRESS, address);
      return body;
    }
    String transformed = clientAddresses.transform(address);
    if (transformed != null) {
      record.setAttribute(ClientAttributes.CLIENT_ADDRESS, transformed);
    }
    // The raw line holds the address too: the body must not undo the policy.
    return clientAddresses.rewriteBody(body, address, transformed);
  }

  /** Sets the {@code cloud.*} and {@code aws.log.*} attributes; returns the origin's attributes. */
  private OriginAttributes setCloud(
      LogRecordBuilder record, LogOrigin origin, String accountFromLine) {
    OriginAttributes cached = recentOrigin;
    if (cached == null || cached.origin != origin) {
      cached = new OriginAttributes(origin, defaultRegion, defaultAccountId);
      recentOrigin = cached;
    }
    if (cached.region != null) {
      record.setAttribute(CloudIncubatingAttributes.CLOUD_REGION, cached.region);
    }
    // $context.accountId is the API owner's account: the most precise source there is.
    String account = accountFromLine != null ? accountFromLine : cached.accountId;
    if (account != null) {
      record.setAttribute(CloudIncubatingAttributes.CLOUD_ACCOUNT_ID, account);
    }
    if (cached.logGroupNames != null) {
      record.setAttribute(AwsIncubatingAttributes.AWS_LOG_GROUP_NAMES, cached.logGroupNames);
    }
    if (cached.logStreamNames != null) {
      record.setAttribute(AwsIncubatingAttributes.AWS_LOG_STREAM_NAMES, cached.logStreamNames);
    }
    return cached;
  }

  /**
   * The attributes an origin contributes, built once per origin rather than per line (sources reuse
   * one origin per stream). Replaced, never mutated, so sharing across threads is safe.
   */
  private static final class OriginAttributes {
    final LogOrigin origin;
    final String region;
    final String accountId;
    final List<String> logGroupNames;
    final List<String> logStreamNames;

    /** The stage's ARN, as metrics carry it in {@code cloud.resource_id}; null unless known. */
    final String stageArn;

    OriginAttributes(LogOrigin origin, String defaultRegion, String defaultAccountId) {
      this.origin = origin;
      this.region = origin.cloudRegion() != null ? origin.cloudRegion() : defaultRegion;
      this.accountId = origin.cloudAccountId() != null ? origin.cloudAccountId() : defaultAccountId;
      this.logGroupNames = origin.logGroup() != null ? List.of(origin.logGroup()) : null;
      this.logStreamNames = origin.logStream() != null ? List.of(origin.logStream()) : null;
      this.stageArn = stageArn(region, origin);
    }

    /**
     * {@code arn:aws:apigateway:{region}::/restapis/{id}/stages/{stage}}; {@code /apis/} for v2.
     */
    private static String stageArn(String region, LogOrigin origin) {
      if (region == null
          || origin.apiType() == null
          || origin.apiId() == null
          || origin.stage() == null) {
        return null;
      }
      String collection = REST_TYPE.equals(origin.apiType()) ? "restapis" : "apis";
      return "arn:"
          + AwsPartition.of(region)
          + ":apigateway:"
          + region
          + "::/"
          + collection
          + "/"
          + origin.apiId()
          + "/stages/"
          + origin.stage();
    }
  }

  private static void setSeverity(LogRecordBuilder record, long status) {
    if (status >= 500 && status < 600) {
      record.setSeverity(Severity.ERROR);
      record.setSeverityText("ERROR");
    } else if (status >= 400 && status < 500) {
      record.setSeverity(Severity.WARN);
      record.setSeverityText("WARN");
    } else {
      record.setSeverity(Severity.INFO);
      record.setSeverityText("INFO");
    }
  }

  private static void setMethod(LogRecordBuilder record, LineValues values, int slot) {
    for (String known : KNOWN_METHODS) {
      if (values.equalsText(slot, known)) {
        record.setAttribute(HttpAttributes.HTTP_REQUEST_METHOD, known);
        return;
      }
    }
    record.setAttribute(HttpAttributes.HTTP_REQUEST_METHOD, OTHER_METHOD);
    record.setAttribute(HttpAttributes.HTTP_REQUEST_METHOD_ORIGINAL, values.string(slot));
  }

  /** {@code HTTP/1.1} -> name {@code http}, version {@code 1.1}; {@code HTTP/2.0} -> {@code 2}. */
  private static void setProtocol(
      LogRecordBuilder record, LineValues values, int slot, CompiledTemplate template) {
    if (values.equalsText(slot, HTTP_1_1)) {
      record.setAttribute(NetworkAttributes.NETWORK_PROTOCOL_NAME, "http");
      record.setAttribute(NetworkAttributes.NETWORK_PROTOCOL_VERSION, "1.1");
      return;
    }
    String protocol = template.recentString(values, slot);
    int slash = protocol.indexOf('/');
    String name = slash < 0 ? protocol : protocol.substring(0, slash);
    record.setAttribute(NetworkAttributes.NETWORK_PROTOCOL_NAME, name.toLowerCase(Locale.ROOT));
    if (slash >= 0 && slash + 1 < protocol.length()) {
      String version = protocol.substring(slash + 1);
      if (version.endsWith(".0") && version.length() == 3 && version.charAt(0) >= '2') {
        version = version.substring(0, 1);
      }
      record.setAttribute(NetworkAttributes.NETWORK_PROTOCOL_VERSION, version);
    }
  }

  private static void setNumber(
      LogRecordBuilder record, VariableBinding binding, String value, boolean booleansToo) {
    boolean negative = value.length() > 1 && value.charAt(0) == '-';
    long magnitude = parseLong(negative ? value.substring(1) : value);
    if (magnitude >= 0) {
      record.setAttribute(binding.longKey(), Numbers.boxed(negative ? -magnitude : magnitude));
      return;
    }
    if (looksDecimal(value)) {
      try {
        record.setAttribute(binding.doubleKey(), Double.parseDouble(value));
        return;
      } catch (NumberFormatException e) {
        // not a number after all: fall through to a string
      }
    }
    if (booleansToo && ("true".equals(value) || "false".equals(value))) {
      record.setAttribute(binding.booleanKey(), Boolean.parseBoolean(value));
      return;
    }
    record.setAttribute(binding.stringKey(), value);
  }

  private static boolean looksDecimal(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
        return false;
      }
    }
    return !value.isEmpty();
  }

  /** A non-negative decimal long, or -1; cheaper than Long.parseLong with its exception. */
  static long parseLong(String value) {
    int length = value.length();
    if (length == 0 || length > 18) {
      return -1;
    }
    long result = 0;
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      result = result * 10 + (c - '0');
    }
    return result;
  }
}
