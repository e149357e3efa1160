package io.github.apigatewayotel.logs.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The named formats: AWS's example formats as the API Gateway console and the "Access logging for
 * REST APIs" guide list them (CLF, JSON, XML, CSV, each ending with {@code extendedRequestId} since
 * AWS recommends logging both request ids), and the seed's JSON, the default.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class NamedFormats {

  /** The format from the seed (Datadog's API Gateway integration), with unquoted numbers. */
  public static final String SEED_JSON =
      "{\n"
          + "    \"apiId\": \"$context.apiId\",\n"
          + "    \"stage\": \"$context.stage\",\n"
          + "    \"requestId\":\"$context.requestId\",\n"
          + "    \"ip\":\"$context.identity.sourceIp\",\n"
          + "    \"caller\":\"$context.identity.caller\",\n"
          + "    \"user\":\"$context.identity.user\",\n"
          + "    \"requestTime\":$context.requestTimeEpoch,\n"
          + "    \"httpMethod\":\"$context.httpMethod\",\n"
          + "    \"resourcePath\":\"$context.resourcePath\",\n"
          + "    \"status\":$context.status,\n"
          + "    \"protocol\":\"$context.protocol\",\n"
          + "    \"responseLength\":$context.responseLength\n"
          + "}";

  public static final String AWS_CLF =
      "$context.identity.sourceIp $context.identity.caller $context.identity.user"
          + " [$context.requestTime]\"$context.httpMethod $context.resourcePath $context.protocol\""
          + " $context.status $context.responseLength $context.requestId $context.extendedRequestId";

  public static final String AWS_JSON =
      "{ \"requestId\":\"$context.requestId\","
          + " \"extendedRequestId\":\"$context.extendedRequestId\","
          + "\"ip\": \"$context.identity.sourceIp\","
          + " \"caller\":\"$context.identity.caller\","
          + " \"user\":\"$context.identity.user\","
          + " \"requestTime\":\"$context.requestTime\","
          + " \"httpMethod\":\"$context.httpMethod\","
          + " \"resourcePath\":\"$context.resourcePath\","
          + " \"status\":\"$context.status\","
          + " \"protocol\":\"$context.protocol\","
          + " \"responseLength\":\"$context.responseLength\" }";

  public static final String AWS_XML =
      "<request id=\"$context.requestId\">"
          + " <extendedRequestId>$context.extendedRequestId</extendedRequestId>"
          + " <ip>$context.identity.sourceIp</ip>"
          + " <caller>$context.identity.caller</caller>"
          + " <user>$context.identity.user</user>"
          + " <requestTime>$context.requestTime</requestTime>"
          + " <httpMethod>$context.httpMethod</httpMethod>"
          + " <resourcePath>$context.resourcePath</resourcePath>"
          + " <status>$context.status</status>"
          + " <protocol>$context.protocol</protocol>"
          + " <responseLength>$context.responseLength</responseLength> </request>";

  public static final String AWS_CSV =
      "$context.identity.sourceIp,$context.identity.caller,$context.identity.user,"
          + "$context.requestTime,$context.httpMethod,$context.resourcePath,$context.protocol,"
          + "$context.status,$context.responseLength,$context.requestId,$context.extendedRequestId";

  /** The names, the default first. */
  public static final List<String> NAMES = List.of("json", "clf", "csv", "xml", "aws-json");

  private static final Map<String, String> BY_NAME =
      Map.of(
          "json", SEED_JSON, "clf", AWS_CLF, "csv", AWS_CSV, "xml", AWS_XML, "aws-json", AWS_JSON);

  private NamedFormats() {}

  /**
   * The template for a name ({@code json}, {@code clf}, {@code csv}, {@code xml}, {@code
   * aws-json}), case-insensitive, or null when {@code name} is not one.
   */
  public static String byName(String name) {
    return BY_NAME.get(name.strip().toLowerCase(Locale.ROOT));
  }
}
