package io.github.apigatewayotel.logs;

import java.util.Objects;

/**
 * An API stage, as API Gateway names it: the API's id and the stage name. Known for a log group
 * when a stage's {@code accessLogSettings} point at it.
 */
public record ApiStage(String apiId, String stage) {

  public ApiStage {
    Objects.requireNonNull(apiId, "apiId");
    Objects.requireNonNull(stage, "stage");
  }
}
