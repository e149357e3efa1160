package io.github.apigatewayotel.examples.demo;

import java.util.Comparator;
import java.util.Objects;

/**
 * One row of the live view: a stage of an API ({@code route} null: the stage's own series) or one
 * route of it ({@code "GET /pets"}, or a WebSocket route key such as {@code $connect}).
 */
record RouteKey(String apiId, String stage, String route) {

  static final Comparator<RouteKey> ORDER =
      Comparator.comparing(RouteKey::apiId)
          .thenComparing(RouteKey::stage)
          .thenComparing(RouteKey::route, Comparator.nullsFirst(Comparator.naturalOrder()));

  RouteKey {
    Objects.requireNonNull(apiId, "apiId");
    Objects.requireNonNull(stage, "stage");
  }

  boolean isStage() {
    return route == null;
  }

  RouteKey stageKey() {
    return new RouteKey(apiId, stage, null);
  }
}
