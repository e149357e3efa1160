package io.github.apigatewayotel.receiver.internal;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.semconv.HttpAttributes;
import io.opentelemetry.semconv.incubating.CloudIncubatingAttributes;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Builds the point attributes of DESIGN.md's Attributes table for one series.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class SeriesAttributes {

  private static final Logger logger = Logger.getLogger(SeriesAttributes.class.getName());

  public static final AttributeKey<String> API_TYPE =
      AttributeKey.stringKey("aws.apigateway.api.type");
  public static final AttributeKey<String> API_ID = AttributeKey.stringKey("aws.apigateway.api.id");
  public static final AttributeKey<String> API_NAME =
      AttributeKey.stringKey("aws.apigateway.api.name");
  public static final AttributeKey<String> STAGE = AttributeKey.stringKey("aws.apigateway.stage");
  public static final AttributeKey<String> ROUTE_KEY =
      AttributeKey.stringKey("aws.apigateway.route_key");

  private static final Set<String> KNOWN_METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");
  private static final String OTHER_METHOD = "_OTHER";

  /**
   * Every attribute key the contract sets; an AWS tag never replaces one, nor stands in for one a
   * series lacks.
   */
  static final Set<String> CONTRACT_KEYS =
      Set.of(
          CloudIncubatingAttributes.CLOUD_PROVIDER.getKey(),
          CloudIncubatingAttributes.CLOUD_REGION.getKey(),
          CloudIncubatingAttributes.CLOUD_ACCOUNT_ID.getKey(),
          CloudIncubatingAttributes.CLOUD_RESOURCE_ID.getKey(),
          API_TYPE.getKey(),
          API_ID.getKey(),
          API_NAME.getKey(),
          STAGE.getKey(),
          ROUTE_KEY.getKey(),
          HttpAttributes.HTTP_REQUEST_METHOD.getKey(),
          HttpAttributes.HTTP_REQUEST_METHOD_ORIGINAL.getKey(),
          HttpAttributes.HTTP_ROUTE.getKey());

  private final String tagPrefix;

  /** Attribute keys whose colliding tags were already reported: once each, discovery repeats. */
  private final Set<String> collisionsLogged = ConcurrentHashMap.newKeySet();

  public SeriesAttributes(String tagPrefix) {
    this.tagPrefix = tagPrefix;
  }

  /**
   * @param accountId the account that owns the series, for {@code cloud.account.id}
   * @param dimensions the series' CloudWatch dimensions (ApiName/ApiId, Stage, Method, Resource,
   *     Route)
   * @param tags the API's tags overlaid with the stage's
   */
  public Attributes build(
      String accountId,
      String region,
      DiscoveredApi api,
      Map<String, String> dimensions,
      Map<String, String> tags) {
    String stage = dimensions.get("Stage");
    return build(
        accountId,
        region,
        api.type(),
        api.id(),
        api.name(),
        stage == null ? api.arn() : api.stageArn(stage),
        dimensions,
        tags);
  }

  /**
   * For a REST {@code ApiName} several APIs share: CloudWatch merged their traffic, so the series
   * names no API id or ARN, and its name is the dimension's.
   *
   * @param sharedTags the tags every sharing API (with its stage's tags) has with the same value
   */
  public Attributes buildShared(
      String accountId,
      String region,
      String apiName,
      Map<String, String> dimensions,
      Map<String, String> sharedTags) {
    return build(accountId, region, ApiType.REST, null, apiName, null, dimensions, sharedTags);
  }

  /**
   * For a series of an account the receiver cannot discover (a linked source account without a
   * role): what the dimensions give, no tags. A REST series names its API by {@code ApiName} only
   * (no id, so no ARN); an HTTP or WebSocket series by {@code ApiId}, whose ARN needs nothing else.
   *
   * @param type null when nothing in the listing tells HTTP from WebSocket
   */
  public Attributes buildUndiscovered(
      String accountId, String region, ApiType type, Map<String, String> dimensions) {
    String apiId = dimensions.get("ApiId");
    String resourceId = null;
    if (apiId != null) {
      DiscoveredApi api =
          new DiscoveredApi(
              region, type == null ? ApiType.HTTP : type, apiId, apiId, apiId, Map.of());
      String stage = dimensions.get("Stage");
      resourceId =
          stage == null
              ? api.arn()
              : api.stageArn(stage); // /apis/{id} for HTTP and WebSocket alike
    }
    return build(
        accountId,
        region,
        type,
        apiId,
        dimensions.get("ApiName"),
        resourceId,
        dimensions,
        Map.of());
  }

  private Attributes build(
      String accountId,
      String region,
      ApiType type,
      String apiId,
      String apiName,
      String resourceId,
      Map<String, String> dimensions,
      Map<String, String> tags) {
    AttributesBuilder b =
        Attributes.builder()
            .put(
                CloudIncubatingAttributes.CLOUD_PROVIDER,
                CloudIncubatingAttributes.CloudProviderIncubatingValues.AWS)
            .put(CloudIncubatingAttributes.CLOUD_REGION, region);
    if (accountId != null) {
      b.put(CloudIncubatingAttributes.CLOUD_ACCOUNT_ID, accountId);
    }
    if (resourceId != null) {
      b.put(CloudIncubatingAttributes.CLOUD_RESOURCE_ID, resourceId);
    }
    if (type != null) {
      b.put(API_TYPE, type.attributeValue());
    }
    if (apiName != null) {
      b.put(API_NAME, apiName);
    }
    if (apiId != null) {
      b.put(API_ID, apiId);
    }
    String stage = dimensions.get("Stage");
    if (stage != null) {
      b.put(STAGE, stage);
    }
    String method = dimensions.get("Method");
    String resource = dimensions.get("Resource");
    String route = dimensions.get("Route");
    if (type == ApiType.WEBSOCKET && route == null && resource != null) {
      // WebSocket detailed metrics documented as ApiId,Method,Resource,Stage: the resource is the
      // route
      route = resource;
      method = null;
      resource = null;
    }
    if (route != null) {
      b.put(ROUTE_KEY, route);
      int space = route.indexOf(' ');
      if (type != ApiType.WEBSOCKET && space > 0) {
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
    tags.forEach(
        (key, value) -> {
          String attribute = tagPrefix + key;
          if (CONTRACT_KEYS.contains(attribute)) {
            // an empty or short prefix lets a tag named like a contract attribute through: the
            // contract wins
            if (collisionsLogged.add(attribute)) {
              logger.warning(
                  "apigateway-otel receiver: AWS tag \""
                      + key
                      + "\" would become the attribute "
                      + attribute
                      + ", which the receiver sets itself; the tag is left out. Use a tag prefix to keep it.");
            }
          } else {
            b.put(attribute, value);
          }
        });
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
