package io.github.apigatewayotel.receiver.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The API type of series whose account the receiver cannot discover (a linked source account
 * without a role), told from what ListMetrics shows: {@code ApiName} is REST; for an {@code ApiId},
 * a metric only HTTP APIs publish ({@code 4xx}, {@code Count}...) or only WebSocket APIs publish
 * ({@code ConnectCount}, {@code MessageCount}...), or a route key {@code METHOD /path}, and what
 * one series tells holds for every series of its API. {@code IntegrationLatency} alone tells
 * nothing.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
final class ListedApiTypes {

  private static final Set<String> HTTP_ONLY =
      Set.of("4xx", "5xx", "Count", "DataProcessed", "Latency");
  private static final Set<String> WEBSOCKET_ONLY =
      Set.of("ClientError", "ConnectCount", "ExecutionError", "IntegrationError", "MessageCount");

  /** By account and API id. */
  private final Map<String, ApiType> known = new HashMap<>();

  /** The series' API type, learning it for the API's other series; null while nothing told it. */
  ApiType typeOf(String account, String metricName, Map<String, String> dimensions) {
    if (dimensions.containsKey("ApiName")) {
      return ApiType.REST;
    }
    String apiId = dimensions.get("ApiId");
    if (apiId == null) {
      return null;
    }
    String key = account + "/" + apiId;
    ApiType type = known.get(key);
    if (type == null) {
      type = told(metricName, dimensions.get("Route"));
      if (type != null) {
        known.put(key, type);
      }
    }
    return type;
  }

  /** What the series' API is known to be, from the series seen so far; null if unknown. */
  ApiType known(String account, String apiId) {
    return known.get(account + "/" + apiId);
  }

  private static ApiType told(String metricName, String route) {
    if (HTTP_ONLY.contains(metricName)) {
      return ApiType.HTTP;
    }
    if (WEBSOCKET_ONLY.contains(metricName)) {
      return ApiType.WEBSOCKET;
    }
    if (route != null && route.indexOf(' ') > 0) {
      return ApiType.HTTP; // HTTP route keys are "METHOD /path"; WebSocket ones have no space
    }
    if ("$connect".equals(route) || "$disconnect".equals(route)) {
      return ApiType.WEBSOCKET;
    }
    return null;
  }
}
