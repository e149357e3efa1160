package io.github.apigatewayotel.logs;

import java.util.Objects;

/**
 * An API stage, as API Gateway names it: the API's id, the stage name and, when known, the API's
 * type ({@code rest}, {@code http} or {@code websocket}, as {@code aws.apigateway.api.type}; null
 * when unknown). Known for a log group when a stage's {@code accessLogSettings} point at it.
 */
public record ApiStage(String apiId, String stage, String apiType) {

  public ApiStage {
    Objects.requireNonNull(apiId, "apiId");
    Objects.requireNonNull(stage, "stage");
  }

  /** A stage of an API whose type is not known. */
  public ApiStage(String apiId, String stage) {
    this(apiId, stage, null);
  }
}
