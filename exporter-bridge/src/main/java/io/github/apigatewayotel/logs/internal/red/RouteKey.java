package io.github.apigatewayotel.logs.internal.red;

/**
 * Which of a stage's series a request belongs to: method ({@code _OTHER} for methods semantic
 * conventions do not know), route template, route key as written, exact status. Never a raw path.
 */
record RouteKey(String method, String route, String routeKey, int status) {}
