package io.github.apigatewayotel.logs;

import io.github.apigatewayotel.logs.internal.NearestName;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code $context} variables API Gateway documents for access logging, so a format naming one
 * it does not ({@code $context.requestIdd}) can be reported with the documented name nearest to it.
 * Only a warning: a variable AWS adds later must keep working, and does (any variable becomes
 * {@code aws.apigateway.context.<path>}).
 *
 * <p>Source: the union, over REST, HTTP and WebSocket APIs, of the AWS API Gateway Developer
 * Guide's tables "Variables for access logging for API Gateway" and "Variables for data
 * transformations" (REST), "Customize HTTP API access logs" and "Configure logging for WebSocket
 * APIs" / "WebSocket API mapping template reference" (the guide's sources as published in
 * awsdocs/amazon-api-gateway-developer-guide, 2023-04), plus the REST variables added since and
 * documented on docs.aws.amazon.com ({@code deploymentId}, {@code endpointType}, {@code
 * identity.vpcId}, {@code identity.vpceId}, {@code isCanaryRequest}). {@code disconnectStatusCode}
 * and {@code disconnectReason} are the WebSocket {@code $disconnect} event's request-context
 * fields, which the bridge already types. Families whose last part is the user's own name ({@code
 * authorizer.*}: a Lambda authorizer's context keys and JWT claims; request and response overrides)
 * accept any name below them.
 */
public final class ContextVariables {

  private static final String PREFIX = "context.";

  /** Every documented variable, named without {@code $}. */
  private static final Set<String> DOCUMENTED =
      Set.of(
          "context.accountId",
          "context.apiId",
          "context.authenticate.error",
          "context.authenticate.latency",
          "context.authenticate.status",
          "context.authorize.error",
          "context.authorize.latency",
          "context.authorize.status",
          "context.authorizer.error",
          "context.authorizer.integrationLatency",
          "context.authorizer.integrationStatus",
          "context.authorizer.latency",
          "context.authorizer.principalId",
          "context.authorizer.requestId",
          "context.authorizer.status",
          "context.awsEndpointRequestId",
          "context.awsEndpointRequestId2",
          "context.connectedAt",
          "context.connectionId",
          "context.customDomain.basePathMatched",
          "context.dataProcessed",
          "context.deploymentId",
          "context.disconnectReason",
          "context.disconnectStatusCode",
          "context.domainName",
          "context.domainPrefix",
          "context.endpointType",
          "context.error.message",
          "context.error.messageString",
          "context.error.responseType",
          "context.error.validationErrorString",
          "context.eventType",
          "context.extendedRequestId",
          "context.httpMethod",
          "context.identity.accountId",
          "context.identity.apiKey",
          "context.identity.apiKeyId",
          "context.identity.caller",
          "context.identity.clientCert.clientCertPem",
          "context.identity.clientCert.issuerDN",
          "context.identity.clientCert.serialNumber",
          "context.identity.clientCert.subjectDN",
          "context.identity.clientCert.validity.notAfter",
          "context.identity.clientCert.validity.notBefore",
          "context.identity.cognitoAuthenticationProvider",
          "context.identity.cognitoAuthenticationType",
          "context.identity.cognitoIdentityId",
          "context.identity.cognitoIdentityPoolId",
          "context.identity.principalOrgId",
          "context.identity.sourceIp",
          "context.identity.user",
          "context.identity.userAgent",
          "context.identity.userArn",
          "context.identity.vpcId",
          "context.identity.vpceId",
          "context.integration.error",
          "context.integration.integrationStatus",
          "context.integration.latency",
          "context.integration.requestId",
          "context.integration.status",
          "context.integrationErrorMessage",
          "context.integrationLatency",
          "context.integrationStatus",
          "context.isCanaryRequest",
          "context.messageId",
          "context.path",
          "context.protocol",
          "context.requestId",
          "context.requestTime",
          "context.requestTimeEpoch",
          "context.resourceId",
          "context.resourcePath",
          "context.responseLatency",
          "context.responseLength",
          "context.responseOverride.status",
          "context.routeKey",
          "context.stage",
          "context.status",
          "context.waf.error",
          "context.waf.latency",
          "context.waf.status",
          "context.wafResponseCode",
          "context.webaclArn",
          "context.xrayTraceId");

  /** Families: any variable below one of these is documented (the last part is the user's). */
  private static final List<String> FAMILIES =
      List.of(
          "context.authorizer.",
          "context.requestOverride.header.",
          "context.requestOverride.path.",
          "context.requestOverride.querystring.",
          "context.responseOverride.header.");

  /** A variable of a format that API Gateway does not document, and the nearest one it does. */
  public record Undocumented(String variable, Optional<String> nearest) {

    /** E.g. {@code $context.requestIdd (did you mean $context.requestId?)}. */
    public String describe() {
      return "$" + variable + nearest.map(name -> " (did you mean $" + name + "?)").orElse("");
    }
  }

  private ContextVariables() {}

  /**
   * Whether API Gateway documents {@code variable} (named without {@code $}, e.g. {@code
   * context.stage}).
   */
  public static boolean isDocumented(String variable) {
    if (DOCUMENTED.contains(variable)) {
      return true;
    }
    for (String family : FAMILIES) {
      if (variable.startsWith(family) && variable.length() > family.length()) {
        return true;
      }
    }
    return false;
  }

  /** The variables of {@code format} API Gateway does not document, in format order. */
  public static List<Undocumented> undocumentedIn(AccessLogFormat format) {
    List<Undocumented> found = new ArrayList<>();
    for (String variable : format.variables()) {
      if (!isDocumented(variable)) {
        found.add(new Undocumented(variable, nearest(variable)));
      }
    }
    return List.copyOf(found);
  }

  /** Every documented name, sorted, families as {@code context.authorizer.*}. */
  public static Set<String> documented() {
    Set<String> all = new TreeSet<>(DOCUMENTED);
    FAMILIES.forEach(family -> all.add(family + "*"));
    return all;
  }

  private static Optional<String> nearest(String variable) {
    if (!variable.startsWith(PREFIX)) {
      return Optional.empty();
    }
    // Compared without the shared "context." so its length does not loosen the match.
    List<String> names = new ArrayList<>();
    DOCUMENTED.forEach(name -> names.add(name.substring(PREFIX.length())));
    names.sort(null); // a stable order for ties
    return NearestName.of(variable.substring(PREFIX.length()), names).map(name -> PREFIX + name);
  }
}
