package io.github.apigatewayotel.state.fleet;

/**
 * The fleet's DynamoDB table cannot be used (missing and not creatable, access denied,
 * unreachable). Its message names the table, what failed and the fix; a replica that gets it works
 * no unit.
 */
public final class FleetUnavailableException extends Exception {

  private static final long serialVersionUID = 1L;

  public FleetUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
