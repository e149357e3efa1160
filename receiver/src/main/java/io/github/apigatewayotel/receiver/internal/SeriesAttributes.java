package io.github.apigatewayotel.receiver.internal;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.semconv.HttpAttributes;
import io.opentelemetry.semconv.incubating.CloudIncubatingAttributes;
import java.util.Map;
import java.util.Set;

/** Builds the point attributes of DESIGN.md's Attributes table for one series. */
public final class SeriesAttributes {

  public static final AttributeKey<String> API_TYPE = AttributeKey.stringKey("aws.apigateway.api.type");
  public static final AttributeKey<String> API_ID = AttributeKey.stringKey("aws.apigateway.api.id");
  public static final AttributeKey<String> API_NAME = AttributeKey.stringKey("aws.apigateway.api.name");
  public static final AttributeKey<String> STAGE = AttributeKey.stringKey("aws.apigateway.stage");
  public static final AttributeKey<String> ROUTE_KEY = AttributeKey.stringKey("aws.apigateway.route_key");

  private static final Set<String> KNOWN_METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");
  private static final String OTHER_METHOD = "_OTHER";

  private final String accountId;
  private final String tagPrefix;

  public SeriesAttributes(String accountId, String tagPrefix) {
    this.accountId = accountId;
    this.tagPrefix = tagPrefix;
  }

  /**
   * @param dimensions the series' CloudWatch dimensions (ApiName/ApiId, Stage, Method, Resource, Route)
   * @param tags the API's tags overlaid with the stage's
   */
  public Attributes build(String region, DiscoveredApi api, Map<String, String> dimensions, Map<String, String> tags) {
    AttributesBuilder b = Attributes.builder()
        .put(CloudIncubatingAttributes.CLOUD_PROVIDER, CloudIncubatingAttributes.CloudProviderIncubatingValues.AWS)
        .put(CloudIncubatingAttributes.CLOUD_REGION, region);
    if (accountId != null) {
      b.put(CloudIncubatingAttributes.CLOUD_ACCOUNT_ID, accountId);
    }
    String stage = dimensions.get("Stage");
    b.put(CloudIncubatingAttributes.CLOUD_RESOURCE_ID, stage == null ? api.arn() : api.stageArn(stage));
    b.put(API_TYPE, api.type().attributeValue()).put(API_ID, api.id()).put(API_NAME, api.name());
    if (stage != null) {
      b.put(STAGE, stage);
    }
    String method = dimensions.get("Method");
    String resource = dimensions.get("Resource");
    String route = dimensions.get("Route");
    if (api.type() == ApiType.WEBSOCKET && route == null && resource != null) {
      // WebSocket detailed metrics documented as ApiId,Method,Resource,Stage: the resource is the route
      route = resource;
      method = null;
      resource = null;
    }
    if (route != null) {
      b.put(ROUTE_KEY, route);
      int space = route.indexOf(' ');
      if (api.type() != ApiType.WEBSOCKET && space > 0) {
        method = route.substring(0, space);
        resource = route.substring(space + 1);
      }
    }
    if (method != null) {
      putMethod(b, method);
    }
    if (resource != null) {
      b.put(HttpAttributes.HTTP_ROUTE, resource);
    }
    tags.forEach((key, value) -> b.put(tagPrefix + key, value));
    return b.build();
  }

  private static void putMethod(AttributesBuilder b, String method) {
    if (KNOWN_METHODS.contains(method)) {
      b.put(HttpAttributes.HTTP_REQUEST_METHOD, method);
    } else {
      b.put(HttpAttributes.HTTP_REQUEST_METHOD, OTHER_METHOD);
      b.put(HttpAttributes.HTTP_REQUEST_METHOD_ORIGINAL, method); // e.g. API Gateway's ANY
    }
  }
}
