package io.github.apigatewayotel.logs.internal.execution;

import io.opentelemetry.api.logs.Severity;

/**
 * One execution-log event as API Gateway writes it: {@code (request-id) text}, where the text may
 * span several lines (a request or response body with newlines is one event), or, rarely, a bare
 * continuation without the prefix. The severity is read from the text:
 *
 * <ul>
 *   <li>ERROR: {@code Execution failed ...} (configuration, timeout, internal errors), {@code
 *       Lambda execution failed ...}, {@code Lambda invocation failed ...}, {@code Endpoint request
 *       timed out}, {@code Authorizer error}, {@code AuthorizerConfigurationException}, and {@code
 *       Method completed with status: 5xx};
 *   <li>WARN: {@code Unauthorized request ...}, {@code The client is not authorized ...}, request
 *       validation failures ({@code Request body does not match model schema ...}, {@code Request
 *       validation failed}, {@code Invalid request body}, {@code Missing required request
 *       parameters ...}), API key and usage-plan refusals ({@code API Key ... not authorized ...},
 *       {@code Usage Plan check failed ...}, {@code Key throttle limit exceeded ...}), and {@code
 *       Method completed with status: 4xx};
 *   <li>INFO: everything else (the request's narrative: usage plan, headers, bodies, URIs).
 * </ul>
 *
 * Each rule matches the start of the text (after the prefix): API Gateway's own statements start
 * so, while a body it logs is the backend's and may say anything. The completion line also gives
 * the status ({@code Method completed with status: 502}).
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public record ExecutionMessage(String requestId, String text, Severity severity, int status) {

  /** Request ids are UUIDs (REST) or 16-character extended ids (WebSocket); this bounds a typo. */
  private static final int MAX_REQUEST_ID_LENGTH = 64;

  private static final String COMPLETED = "Method completed with status: ";

  private static final String[] ERRORS = {
    "Execution failed",
    "Lambda execution failed",
    "Lambda invocation failed",
    "Endpoint request timed out",
    "Authorizer error",
    "AuthorizerConfigurationException",
  };

  private static final String[] WARNINGS = {
    "Unauthorized request",
    "The client is not authorized",
    "Request body does not match model schema",
    "Request validation failed",
    "Invalid request body",
    "Missing required request parameters",
    "Usage Plan check failed",
    "Key throttle limit exceeded",
  };

  /** Parses one event's message; never null. */
  public static ExecutionMessage parse(String message) {
    String requestId = null;
    String text = message;
    if (message.startsWith("(")) {
      int close = message.indexOf(')');
      if (close > 1 && close <= MAX_REQUEST_ID_LENGTH + 1 && noBlank(message, 1, close)) {
        requestId = message.substring(1, close);
        text =
            message.startsWith(" ", close + 1)
                ? message.substring(close + 2)
                : message.substring(close + 1);
      }
    }
    int status = status(text);
    return new ExecutionMessage(requestId, text, severity(text, status), status);
  }

  /** Whether this event names its request; a continuation does not. */
  public boolean hasRequestId() {
    return requestId != null;
  }

  private static Severity severity(String text, int status) {
    if (status >= 500) {
      return Severity.ERROR;
    }
    if (status >= 400) {
      return Severity.WARN;
    }
    if (startsWithAny(text, ERRORS)) {
      return Severity.ERROR;
    }
    if (startsWithAny(text, WARNINGS) || isApiKeyRefusal(text)) {
      return Severity.WARN;
    }
    return Severity.INFO;
  }

  /**
   * "API Key ... not authorized", but not "API Key authorized because method ... does not require".
   */
  private static boolean isApiKeyRefusal(String text) {
    int end = text.indexOf('\n');
    return text.startsWith("API Key")
        && text.substring(0, end < 0 ? text.length() : end).contains("not authorized");
  }

  /**
   * API Gateway's own statements start with these words; a body it logs (the backend's words) may
   * contain anything, so nothing is searched for inside the text.
   */
  private static boolean startsWithAny(String text, String[] openings) {
    for (String opening : openings) {
      if (text.startsWith(opening)) {
        return true;
      }
    }
    return false;
  }

  /** The status of {@code Method completed with status: NNN}, else -1. */
  private static int status(String text) {
    if (!text.startsWith(COMPLETED) || text.length() < COMPLETED.length() + 3) {
      return -1;
    }
    int status = 0;
    for (int i = COMPLETED.length(); i < COMPLETED.length() + 3; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      status = status * 10 + (c - '0');
    }
    return status >= 100 && status <= 599 ? status : -1;
  }

  private static boolean noBlank(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      if (Character.isWhitespace(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
