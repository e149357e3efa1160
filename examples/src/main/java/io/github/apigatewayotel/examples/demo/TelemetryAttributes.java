package io.github.apigatewayotel.examples.demo;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;

/** The attributes (DESIGN.md's table) the live view groups by, read from metric points and logs. */
final class TelemetryAttributes {

  static final AttributeKey<String> API_ID = AttributeKey.stringKey("aws.apigateway.api.id");
  static final AttributeKey<String> API_NAME = AttributeKey.stringKey("aws.apigateway.api.name");
  static final AttributeKey<String> API_TYPE = AttributeKey.stringKey("aws.apigateway.api.type");
  static final AttributeKey<String> STAGE = AttributeKey.stringKey("aws.apigateway.stage");
  static final AttributeKey<String> ROUTE_KEY = AttributeKey.stringKey("aws.apigateway.route_key");
  static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> METHOD_ORIGINAL =
      AttributeKey.stringKey("http.request.method_original");
  static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");

  /**
   * The catch-all method API Gateway routes use; semconv carries it as {@code _OTHER} + original.
   */
  static final String ANY_METHOD = "ANY";

  private TelemetryAttributes() {}

  /**
   * The row these attributes belong to, or null for API-level series (no stage) and foreign data.
   */
  static RouteKey rowOf(Attributes attributes) {
    String apiId = attributes.get(API_ID);
    String stage = attributes.get(STAGE);
    if (apiId == null || stage == null) {
      return null;
    }
    return new RouteKey(apiId, stage, routeOf(attributes));
  }

  /** {@code "GET /pets"} from the route key or the method and route; null when neither is there. */
  static String routeOf(Attributes attributes) {
    String routeKey = attributes.get(ROUTE_KEY);
    if (routeKey != null) {
      return routeKey;
    }
    String path = attributes.get(HTTP_ROUTE);
    if (path == null) {
      return null;
    }
    String original = attributes.get(METHOD_ORIGINAL);
    String method = original != null ? original : attributes.get(METHOD);
    return method == null ? path : method + " " + path;
  }
}
