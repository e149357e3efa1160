package io.github.apigatewayotel.testing.aws;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One request received by {@link FakeAwsServer}, as the AWS SDK sent it.
 *
 * @param service the SigV4 signing name from the Authorization header ({@code monitoring}, {@code
 *     logs}, {@code apigateway}, {@code tagging}, {@code sts})
 * @param region the SigV4 signing region
 * @param accessKeyId the access key id that signed the request
 */
public record AwsRequest(
    String method,
    String path,
    String rawQuery,
    Map<String, List<String>> headers,
    byte[] body,
    String service,
    String region,
    String accessKeyId) {

  public String header(String name) {
    for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
      if (entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
        return entry.getValue().get(0);
      }
    }
    return null;
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The awsJson operation, from {@code X-Amz-Target: Prefix.Operation}. */
  public String jsonTarget() {
    String target = header("X-Amz-Target");
    return target == null ? null : target.substring(target.indexOf('.') + 1);
  }

  /**
   * The operation of a Smithy RPC v2 call, from its path {@code /service/<Service>/operation/<Op>},
   * or null for any other request.
   */
  public String rpcV2Operation() {
    int at = path.startsWith("/service/") ? path.indexOf("/operation/") : -1;
    return at < 0 ? null : path.substring(at + "/operation/".length());
  }

  /** The form fields of an awsQuery body, in order (repeated keys keep their last value). */
  public Map<String, String> formFields() {
    return parseForm(bodyText());
  }

  /** The URL query parameters. */
  public Map<String, String> queryParameters() {
    return rawQuery == null ? Map.of() : parseForm(rawQuery);
  }

  static Map<String, String> parseForm(String encoded) {
    Map<String, String> fields = new LinkedHashMap<>();
    if (encoded == null || encoded.isEmpty()) {
      return fields;
    }
    for (String pair : encoded.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      fields.put(
          URLDecoder.decode(key, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return fields;
  }
}
