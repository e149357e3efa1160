package io.github.apigatewayotel.logs.internal.cloudwatch;

import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/** What kind of failure an AWS call ended in, once the SDK's retries are spent. */
public enum AwsFailure {
  /** Rate-limited (ThrottlingException): back off. */
  THROTTLED("throttled", true),
  /** A 5xx answer: back off and try again later. */
  SERVER_ERROR("server_error", true),
  /** No answer (connection refused, timeout): back off and try again later. */
  NETWORK("network", true),
  /**
   * Expired or invalid credentials (ExpiredToken, ExpiredTokenException...): back off until they
   * are renewed; counted apart so operators tell a credential problem from a permission one.
   */
  CREDENTIALS("credentials", true),
  /** The log group does not exist (any more): stop reading it. */
  NOT_FOUND("not_found", false),
  /** Any other refusal (access denied, bad parameter): a configuration problem, back off. */
  CLIENT_ERROR("client_error", true);

  /** Error codes AWS answers for expired or invalid temporary credentials, in every protocol. */
  private static final Set<String> CREDENTIAL_ERROR_CODES =
      Set.of(
          "ExpiredToken",
          "ExpiredTokenException",
          "RequestExpired",
          "InvalidClientTokenId",
          "UnrecognizedClientException");

  /** How the AWS SDK's credentials chains start their message when they find nothing. */
  private static final String NO_CREDENTIALS_MESSAGE = "Unable to load credentials";

  private final String errorType;
  private final boolean backOff;

  AwsFailure(String errorType, boolean backOff) {
    this.errorType = errorType;
    this.backOff = backOff;
  }

  /** The value of the {@code error.type} attribute on the error counter. */
  public String errorType() {
    return errorType;
  }

  public boolean backOff() {
    return backOff;
  }

  /**
   * The SDK reports an empty credentials chain as a client exception with no code of its own; its
   * message is the only sign ("Unable to load credentials from any of the providers...").
   */
  private static boolean isMissingCredentials(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains(NO_CREDENTIALS_MESSAGE)) {
        return true;
      }
    }
    return false;
  }

  public static AwsFailure classify(RuntimeException e) {
    if (e instanceof ResourceNotFoundException) {
      return NOT_FOUND;
    }
    if (e instanceof AwsServiceException service) {
      if (service.awsErrorDetails() != null
          && CREDENTIAL_ERROR_CODES.contains(service.awsErrorDetails().errorCode())) {
        return CREDENTIALS;
      }
      if (service.isThrottlingException()) {
        return THROTTLED;
      }
      return service.statusCode() >= 500 ? SERVER_ERROR : CLIENT_ERROR;
    }
    if (e instanceof SdkClientException && isMissingCredentials(e)) {
      return CREDENTIALS; // no credentials at all: the SDK's chain found none
    }
    if (e instanceof SdkClientException) {
      return NETWORK;
    }
    return CLIENT_ERROR;
  }
}
