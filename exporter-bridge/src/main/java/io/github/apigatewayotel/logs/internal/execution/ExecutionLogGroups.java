package io.github.apigatewayotel.logs.internal.execution;

import io.github.apigatewayotel.logs.ApiStage;

/**
 * The execution-log groups API Gateway creates and manages for REST and WebSocket stages with
 * execution logging on, {@code API-Gateway-Execution-Logs_{apiId}/{stage}}: the API and stage are
 * in the name.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class ExecutionLogGroups {

  public static final String PREFIX = "API-Gateway-Execution-Logs_";

  private ExecutionLogGroups() {}

  /**
   * The stage whose execution log {@code logGroup} is, or null when the name is not of that form.
   */
  public static ApiStage stageOf(String logGroup) {
    if (logGroup == null || !logGroup.startsWith(PREFIX)) {
      return null;
    }
    int slash = logGroup.indexOf('/', PREFIX.length());
    if (slash <= PREFIX.length() || slash == logGroup.length() - 1) {
      return null;
    }
    return new ApiStage(logGroup.substring(PREFIX.length(), slash), logGroup.substring(slash + 1));
  }
}
