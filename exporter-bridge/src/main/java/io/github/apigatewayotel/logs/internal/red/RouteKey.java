package io.github.apigatewayotel.logs.internal.red;

/**
 * Which of a stage's series a request belongs to: method ({@code _OTHER} for methods semantic
 * conventions do not know), route template, route key as written, exact status. Never a raw path.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
record RouteKey(String method, String route, String routeKey, int status) {}
