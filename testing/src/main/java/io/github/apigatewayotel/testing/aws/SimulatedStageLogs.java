package io.github.apigatewayotel.testing.aws;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The logs one stage of a simulated API writes for its traffic: every request of its {@link
 * TrafficShape} as one access-log line in any "Log format", and, for REST and WebSocket stages, its
 * execution log in API Gateway's shape ({@code (request-id) message}, one CloudWatch event per
 * message; a request or response body with newlines is one event of several lines). A minute's
 * lines are exactly that minute's CloudWatch {@code Count}, {@code 4XXError} and {@code 5XXError}
 * of each route, so tests can hold metrics derived from the logs to CloudWatch's. Deterministic for
 * the account's seed.
 */
public final class SimulatedStageLogs {

  /** API Gateway names a stage's execution-log group so; HTTP APIs have no execution log. */
  public static final String EXECUTION_LOG_GROUP_PREFIX = "API-Gateway-Execution-Logs_";

  private static final Pattern VARIABLE =
      Pattern.compile("\\$context\\.([A-Za-z0-9_]+(?:\\.[A-Za-z0-9_]+)*)");
  private static final DateTimeFormatter REQUEST_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final String[] SOURCE_IPS = {
    "203.0.113.10", "203.0.113.77", "198.51.100.23", "198.51.100.140", "192.0.2.44"
  };
  private static final int[] CLIENT_ERRORS = {400, 403, 404, 429};
  private static final int[] SERVER_ERRORS = {500, 502, 503, 504};

  private final SimulatedAccount account;
  private final SimulatedAccount.Api api;
  private final String stage;
  private final long seed;

  public SimulatedStageLogs(
      SimulatedAccount account, SimulatedAccount.Api api, String stage, long seed) {
    if (!api.stages().contains(stage)) {
      throw new IllegalArgumentException(api.id() + " has no stage " + stage);
    }
    this.account = account;
    this.api = api;
    this.stage = stage;
    this.seed = seed;
  }

  /** {@code API-Gateway-Execution-Logs_{apiId}/{stage}}. */
  public static String executionLogGroup(String apiId, String stage) {
    return EXECUTION_LOG_GROUP_PREFIX + apiId + "/" + stage;
  }

  /** Every request of the minute starting at {@code minuteStartEpochSecond}, in time order. */
  public List<StageRequest> requests(long minuteStartEpochSecond) {
    long minuteStart = Math.floorDiv(minuteStartEpochSecond, 60) * 60;
    List<StageRequest> requests = new ArrayList<>();
    for (String route : api.routes()) {
      RouteMinute minute = account.traffic().routeMinute(api, stage, route, minuteStart);
      for (int index = 0; index < minute.requests(); index++) {
        SplittableRandom random =
            new SplittableRandom(
                TrafficShape.mix(
                    seed
                        ^ TrafficShape.mix((api.id() + "/" + stage + "/" + route).hashCode())
                        ^ TrafficShape.mix(minuteStart * 4096 + index)));
        long millis = (minuteStart + minute.secondOf(index)) * 1000 + random.nextInt(1000);
        requests.add(request(route, minute, index, millis, random));
      }
    }
    requests.sort((a, b) -> Long.compare(a.epochMillis(), b.epochMillis()));
    return requests;
  }

  private StageRequest request(
      String route, RouteMinute minute, int index, long millis, SplittableRandom random) {
    boolean webSocket = api.type() == SimulatedAccount.ApiType.WEBSOCKET;
    String method = null;
    String path = null;
    if (!webSocket) {
      int space = route.indexOf(' ');
      method = route.substring(0, space);
      path = route.substring(space + 1);
      if (method.equals("ANY")) {
        method = random.nextBoolean() ? "GET" : "POST";
      }
    }
    RouteMinute.Outcome outcome = minute.outcome(index);
    int status =
        switch (outcome) {
          case CLIENT_ERROR -> CLIENT_ERRORS[random.nextInt(CLIENT_ERRORS.length)];
          case SERVER_ERROR -> SERVER_ERRORS[random.nextInt(SERVER_ERRORS.length)];
          case OK -> "POST".equals(method) ? 201 : "DELETE".equals(method) ? 204 : 200;
        };
    double q = random.nextDouble();
    long latency = Math.round(minute.latency().quantile(q));
    long integration = Math.round(minute.integrationLatency().quantile(q));
    UUID id = new UUID(random.nextLong(), random.nextLong());
    String traceId =
        String.format("1-%08x-%024x", millis / 1000, random.nextLong() & 0xffffffffffffL)
            .substring(0, 35);
    return new StageRequest(
        api,
        stage,
        route,
        method,
        path,
        status,
        latency,
        integration,
        status >= 400 ? 40 + random.nextInt(80) : 200 + random.nextInt(4800),
        id.toString(),
        Long.toString(id.getMostSignificantBits() & 0xffffffffffL, 36).toUpperCase(Locale.ROOT)
            + "=",
        SOURCE_IPS[random.nextInt(SOURCE_IPS.length)],
        millis,
        webSocket ? "WebSocket" : "HTTP/1.1",
        traceId,
        outcome);
  }

  /**
   * {@code format} (a "Log format" as typed into API Gateway) filled for {@code request} as API
   * Gateway fills it: {@code -} for what the request has no value for.
   */
  public static String accessLogLine(String format, StageRequest request) {
    Matcher matcher = VARIABLE.matcher(format);
    StringBuilder line = new StringBuilder(format.length() + 64);
    while (matcher.find()) {
      String value = value(matcher.group(1), request);
      matcher.appendReplacement(line, Matcher.quoteReplacement(value == null ? "-" : value));
    }
    matcher.appendTail(line);
    return line.toString();
  }

  private static String value(String variable, StageRequest r) {
    return switch (variable) {
      case "apiId" -> r.api().id();
      case "stage" -> r.stage();
      case "requestId" -> r.requestId();
      case "extendedRequestId" -> r.extendedRequestId();
      case "identity.sourceIp" -> r.sourceIp();
      case "requestTime" -> REQUEST_TIME.format(Instant.ofEpochMilli(r.epochMillis()));
      case "requestTimeEpoch" -> String.valueOf(r.epochMillis());
      case "httpMethod" -> r.httpMethod();
      case "resourcePath" -> r.resourcePath();
      case "routeKey" -> r.api().type() == SimulatedAccount.ApiType.REST ? null : r.routeKey();
      case "status" -> String.valueOf(r.status());
      case "protocol" -> r.protocol();
      case "responseLength" -> String.valueOf(r.responseLength());
      case "responseLatency" ->
          r.api().type() == SimulatedAccount.ApiType.WEBSOCKET
              ? null
              : String.valueOf(r.latencyMillis());
      case "integrationLatency", "integration.latency" ->
          String.valueOf(r.integrationLatencyMillis());
      case "xrayTraceId" -> r.xrayTraceId();
      case "eventType" ->
          r.httpMethod() != null
              ? null
              : switch (r.routeKey()) {
                case "$connect" -> "CONNECT";
                case "$disconnect" -> "DISCONNECT";
                default -> "MESSAGE";
              };
      case "connectionId" ->
          r.httpMethod() != null ? null : r.requestId().replace("-", "").substring(0, 15) + "=";
      default -> null; // identity.caller, identity.user...: none for an anonymous request
    };
  }

  /**
   * The execution-log events of {@code request}, each message as API Gateway writes it at INFO with
   * data tracing: {@code (request-id) text}; a POST body of several lines is one event.
   */
  public static List<String> executionLog(StageRequest r) {
    String id = "(" + r.requestId() + ") ";
    String apiStage = r.api().id() + "/" + r.stage();
    boolean webSocket = r.api().type() == SimulatedAccount.ApiType.WEBSOCKET;
    List<String> events = new ArrayList<>();
    events.add(id + "Extended Request Id: " + r.extendedRequestId());
    if (r.status() == 403) {
      events.add(id + "Starting authorizer: 62mgrc for request: " + r.requestId());
      events.add(id + "Unauthorized request: " + r.requestId());
      events.add(id + "Method completed with status: 403");
      return events;
    }
    events.add(
        id
            + "Verifying Usage Plan for request: "
            + r.requestId()
            + ". API Key:  API Stage: "
            + apiStage);
    events.add(id + "Usage Plan check succeeded for API Key  and API Stage " + apiStage);
    events.add(id + "Starting execution for request: " + r.requestId());
    if (webSocket) {
      events.add(id + "WebSocket Request Route: [" + r.routeKey() + "]");
    } else {
      events.add(id + "HTTP Method: " + r.httpMethod() + ", Resource Path: " + r.resourcePath());
      if ("POST".equals(r.httpMethod())) {
        events.add(
            id
                + "Method request body before transformations: {\n  \"name\": \"rex\",\n  \"kind\": \"dog\"\n}");
      }
    }
    if (r.status() == 400) {
      events.add(
          id
              + "Request body does not match model schema for content type application/json: [object has missing required properties ([\"name\"])]");
      events.add(id + "Method completed with status: 400");
      return events;
    }
    events.add(
        id
            + "Endpoint request URI: https://lambda."
            + r.api().region()
            + ".amazonaws.com/2015-03-31/functions/arn:aws:lambda:"
            + r.api().region()
            + ":123456789012:function:backend/invocations");
    if (r.status() == 504) {
      events.add(id + "Execution failed due to a timeout error");
      events.add(id + "Method completed with status: 504");
      return events;
    }
    events.add(
        id
            + "Received response. Status: 200, Integration latency: "
            + r.integrationLatencyMillis()
            + " ms");
    if (r.outcome() == RouteMinute.Outcome.SERVER_ERROR) {
      events.add(
          id + "Execution failed due to configuration error: Malformed Lambda proxy response");
      events.add(id + "Method completed with status: " + r.status());
      return events;
    }
    events.add(
        id + "Endpoint response body before transformations: {\"statusCode\":" + r.status() + "}");
    events.add(id + "Successfully completed execution");
    events.add(id + "Method completed with status: " + r.status());
    return events;
  }

  /**
   * Writes the minute's access log into {@code accessLogGroup} in {@code format} and, when {@code
   * executionLogs}, its execution log into the stage's execution-log group; returns the requests.
   */
  public List<StageRequest> writeMinute(
      CloudWatchLogsSimulator logs,
      String accessLogGroup,
      String format,
      long minuteStartEpochSecond,
      boolean executionLogs) {
    List<StageRequest> requests = requests(minuteStartEpochSecond);
    String executionGroup = executionLogGroup(api.id(), stage);
    for (StageRequest request : requests) {
      if (accessLogGroup != null) {
        logs.putLogEvent(
            accessLogGroup,
            "access-" + Math.floorMod(request.requestId().hashCode(), 2),
            request.epochMillis(),
            accessLogLine(format, request));
      }
      if (executionLogs && api.type() != SimulatedAccount.ApiType.HTTP) {
        String stream =
            Integer.toHexString(Math.floorMod(request.requestId().hashCode(), 3) + 0xa0);
        for (String event : executionLog(request)) {
          logs.putLogEvent(executionGroup, stream, request.epochMillis(), event);
        }
      }
    }
    return requests;
  }
}
