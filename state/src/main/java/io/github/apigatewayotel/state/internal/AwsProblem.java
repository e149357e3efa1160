package io.github.apigatewayotel.state.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * What an AWS call that failed after its retries ran into, in words a user can act on: the network
 * (name resolution, a refused connection, a timeout), the credentials (none found, expired, not
 * accepted), a missing IAM permission (named), throttling, a resource that is not there, or AWS
 * itself. The one place for this of both the receiver and the bridge: every message about a failed
 * AWS call is built here (and the bridge's {@code AwsFailure} derives its retry class from it), all
 * from the AWS SDK's exception types ({@link SdkClientException} and its causes, {@link
 * AwsServiceException} and its error code).
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public record AwsProblem(Kind kind, String what, String fix, String sdkMessage) {

  /** The kinds a user tells apart: each has its own fix. */
  public enum Kind {
    NETWORK,
    NO_CREDENTIALS,
    EXPIRED_CREDENTIALS,
    INVALID_CREDENTIALS,
    CLOCK_SKEW,
    ACCESS_DENIED,
    THROTTLED,
    NOT_FOUND,
    AWS_ERROR,
    OTHER
  }

  /** Codes AWS answers when temporary credentials expired. */
  private static final Set<String> EXPIRED_CODES =
      Set.of("ExpiredToken", "ExpiredTokenException", "TokenRefreshRequired");

  /** Codes AWS answers when it does not accept the credentials at all. */
  private static final Set<String> INVALID_CODES =
      Set.of(
          "InvalidClientTokenId",
          "UnrecognizedClientException",
          "SignatureDoesNotMatch",
          "InvalidSignatureException",
          "IncompleteSignature",
          "InvalidAccessKeyId",
          "MissingAuthenticationToken",
          "AuthFailure");

  private static final Set<String> ACCESS_DENIED_CODES =
      Set.of(
          "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError");

  /** How the AWS SDK's credentials chains start their message when they find nothing. */
  private static final String NO_CREDENTIALS_MESSAGE = "Unable to load credentials";

  /**
   * How AWS names the action it refused ("... is not authorized to perform:
   * cloudwatch:GetMetricData ...").
   */
  private static final Pattern REFUSED_ACTION =
      Pattern.compile("perform: ([A-Za-z0-9-]+:[A-Za-z0-9*]+)");

  private static final int MAX_CAUSES = 8;

  /**
   * What {@code e} says. {@code iamAction} is the IAM action of the call ({@code
   * cloudwatch:GetMetricData}), named when access is denied and AWS's message does not name it.
   */
  public static AwsProblem of(Throwable e, String iamAction) {
    String sdkMessage = String.valueOf(e.getMessage());
    AwsServiceException service = find(e, AwsServiceException.class);
    if (service != null) {
      return ofService(service, iamAction, sdkMessage);
    }
    if (sdkMessage.contains(NO_CREDENTIALS_MESSAGE)
        || causeMessageContains(e, NO_CREDENTIALS_MESSAGE)) {
      return new AwsProblem(
          Kind.NO_CREDENTIALS,
          "no AWS credentials were found",
          "give the AWS SDK's default chain some: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE,"
              + " web identity, or a container or instance role",
          sdkMessage);
    }
    UnknownHostException unknownHost = find(e, UnknownHostException.class);
    if (unknownHost != null) {
      return network(
          "the AWS host name " + unknownHost.getMessage() + " does not resolve (DNS)",
          "check DNS and the network, the region name, and any endpoint override",
          sdkMessage);
    }
    if (find(e, ConnectException.class) != null || find(e, NoRouteToHostException.class) != null) {
      return network(
          "the connection to AWS was refused or has no route",
          "check the endpoint override, a proxy (HTTPS_PROXY) and firewalls",
          sdkMessage);
    }
    if (find(e, ApiCallTimeoutException.class) != null
        || find(e, ApiCallAttemptTimeoutException.class) != null
        || find(e, SocketTimeoutException.class) != null
        || find(e, HttpTimeoutException.class) != null) {
      return network(
          "AWS did not answer in time",
          "check the network, a proxy or firewall, and a VPC endpoint if there is no internet route",
          sdkMessage);
    }
    if (find(e, SSLException.class) != null) {
      return network(
          "the TLS connection to AWS failed",
          "check a proxy that intercepts TLS and the JVM's trusted certificates",
          sdkMessage);
    }
    if (find(e, IOException.class) != null || e instanceof SdkClientException) {
      // The SDK's client-side failures are nearly all connectivity (a body cut short, a proxy).
      return network(
          "the request to AWS failed before an answer",
          "check the network and any proxy",
          sdkMessage);
    }
    return new AwsProblem(Kind.OTHER, "the AWS call failed", "", sdkMessage);
  }

  private static AwsProblem ofService(
      AwsServiceException service, String iamAction, String sdkMessage) {
    String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
    String label = code != null ? code : "HTTP " + service.statusCode();
    if (code != null && EXPIRED_CODES.contains(code)) {
      return new AwsProblem(
          Kind.EXPIRED_CREDENTIALS,
          "the AWS credentials have expired (" + label + ")",
          "renew them: a new session token, `aws sso login`, or a role whose session is refreshed",
          sdkMessage);
    }
    if (ClockSkewErrors.isClockSkewError(service)) {
      return new AwsProblem(
          Kind.CLOCK_SKEW,
          "AWS refused the request's time (" + label + ")",
          "this machine's clock is off: synchronize it (NTP)",
          sdkMessage);
    }
    if (code != null && INVALID_CODES.contains(code)) {
      return new AwsProblem(
          Kind.INVALID_CREDENTIALS,
          "AWS does not accept the credentials (" + label + ")",
          "the access key id or secret key is wrong, or the key was deleted or deactivated",
          sdkMessage);
    }
    if (service.isThrottlingException()) {
      return new AwsProblem(
          Kind.THROTTLED,
          "AWS throttled the calls (" + label + ") after retries",
          "fewer calls (fewer regions or APIs, a longer poll interval, lower concurrency) or a higher quota",
          sdkMessage);
    }
    if ((code != null && ACCESS_DENIED_CODES.contains(code)) || service.statusCode() == 403) {
      String action = refusedAction(sdkMessage, iamAction);
      return new AwsProblem(
          Kind.ACCESS_DENIED,
          "access denied ("
              + label
              + ")"
              + (action == null ? "" : ": the credentials lack " + action),
          "grant "
              + (action == null ? "the permission" : action)
              + " to the IAM principal (docs/aws-access.md's least-privilege policy has them all)",
          sdkMessage);
    }
    if ("ResourceNotFoundException"
        .equals(code)) { // the SDK names its ResourceNotFoundException so
      return new AwsProblem(Kind.NOT_FOUND, "it does not exist (" + label + ")", "", sdkMessage);
    }
    if (service.statusCode() >= 500) {
      return new AwsProblem(
          Kind.AWS_ERROR,
          "AWS answered with a server error (" + label + ")",
          "usually passes; check the AWS Health Dashboard if it lasts",
          sdkMessage);
    }
    return new AwsProblem(Kind.OTHER, "AWS refused the call (" + label + ")", "", sdkMessage);
  }

  private static AwsProblem network(String what, String fix, String sdkMessage) {
    return new AwsProblem(Kind.NETWORK, "cannot reach AWS: " + what, fix, sdkMessage);
  }

  private static String refusedAction(String message, String iamAction) {
    Matcher matcher = REFUSED_ACTION.matcher(message);
    return matcher.find() ? matcher.group(1) : iamAction;
  }

  /** Whether renewed or different credentials are the fix. */
  public boolean isCredentials() {
    return kind == Kind.NO_CREDENTIALS
        || kind == Kind.EXPIRED_CREDENTIALS
        || kind == Kind.INVALID_CREDENTIALS;
  }

  /** E.g. "cannot reach AWS: ... does not resolve (DNS); check ... [AWS SDK: ...]". */
  public String describe() {
    return what + (fix.isEmpty() ? "" : "; " + fix) + " [AWS SDK: " + sdkMessage + "]";
  }

  private static <T extends Throwable> T find(Throwable e, Class<T> type) {
    Throwable t = e;
    for (int depth = 0; t != null && depth < MAX_CAUSES; depth++, t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static boolean causeMessageContains(Throwable e, String text) {
    Throwable t = e.getCause();
    for (int depth = 0; t != null && depth < MAX_CAUSES; depth++, t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains(text)) {
        return true;
      }
    }
    return false;
  }
}
