package io.github.apigatewayotel.logs.internal.cloudwatch;

import io.github.apigatewayotel.state.internal.AwsProblem;

/**
 * What kind of failure an AWS call ended in, once the SDK's retries are spent.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
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

  /** The retry class of {@code e}, from the bridge's one diagnosis of AWS failures. */
  public static AwsFailure classify(RuntimeException e) {
    return of(AwsProblem.of(e, null));
  }

  /** The retry class of a diagnosed failure. */
  public static AwsFailure of(AwsProblem problem) {
    return switch (problem.kind()) {
      case NOT_FOUND -> NOT_FOUND;
      case THROTTLED -> THROTTLED;
      case AWS_ERROR -> SERVER_ERROR;
      case NETWORK -> NETWORK;
      case NO_CREDENTIALS, EXPIRED_CREDENTIALS, INVALID_CREDENTIALS, CLOCK_SKEW -> CREDENTIALS;
      case ACCESS_DENIED, OTHER -> CLIENT_ERROR;
    };
  }
}
