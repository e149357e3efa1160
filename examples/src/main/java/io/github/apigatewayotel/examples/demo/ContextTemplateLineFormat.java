package io.github.apigatewayotel.examples.demo;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Any "Log format" string as typed into API Gateway ({@code $context.*} variables in JSON, CLF,
 * CSV, XML...), filled in the way API Gateway fills it: {@code -} for what the request has no value
 * for.
 */
final class ContextTemplateLineFormat implements AccessLogLineFormat {

  private static final Pattern VARIABLE =
      Pattern.compile("\\$context\\.([A-Za-z0-9_]+(?:\\.[A-Za-z0-9_]+)*)");
  private static final String ABSENT = "-";

  /** {@code $context.requestTime}: CLF-style, as API Gateway writes it. */
  private static final DateTimeFormatter REQUEST_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final String template;

  ContextTemplateLineFormat(String template) {
    this.template = template;
  }

  @Override
  public String render(SimulatedRequest request) {
    Matcher matcher = VARIABLE.matcher(template);
    StringBuilder line = new StringBuilder(template.length() + 64);
    while (matcher.find()) {
      matcher.appendReplacement(line, Matcher.quoteReplacement(value(matcher.group(1), request)));
    }
    matcher.appendTail(line);
    return line.toString();
  }

  private static String value(String variable, SimulatedRequest request) {
    String value =
        switch (variable) {
          case "apiId" -> request.apiId();
          case "stage" -> request.stage();
          case "requestId", "extendedRequestId" -> request.requestId();
          case "identity.sourceIp" -> request.sourceIp();
          case "requestTime" -> REQUEST_TIME.format(Instant.ofEpochMilli(request.epochMillis()));
          case "requestTimeEpoch" -> String.valueOf(request.epochMillis());
          case "httpMethod" -> request.httpMethod();
          case "resourcePath" -> request.resourcePath();
          case "routeKey" -> request.routeKey();
          case "status" -> String.valueOf(request.status());
          case "protocol" -> request.protocol();
          case "responseLength" -> String.valueOf(request.responseLength());
          case "responseLatency" -> String.valueOf(request.latencyMillis());
          case "integrationLatency" -> String.valueOf(Math.max(0, request.latencyMillis() - 5));
          case "eventType" -> eventType(request);
          case "connectionId" -> request.httpMethod() == null ? connectionId(request) : null;
          default -> null; // identity.caller, identity.user...: none for an anonymous request
        };
    return value == null ? ABSENT : value;
  }

  private static String eventType(SimulatedRequest request) {
    if (request.httpMethod() != null) {
      return null;
    }
    return switch (request.routeKey()) {
      case "$connect" -> "CONNECT";
      case "$disconnect" -> "DISCONNECT";
      default -> "MESSAGE";
    };
  }

  // WebSocket connection ids are 16 characters ending in '='.
  private static String connectionId(SimulatedRequest request) {
    return request.requestId().replace("-", "").substring(0, 15) + "=";
  }
}
