package io.github.apigatewayotel.push;

import java.time.Duration;

/**
 * Bounds how long a client may take to send a request: the JDK HTTP server's own limit ({@code
 * sun.net.httpserver.maxReqTime}, seconds), read once per JVM when its first server starts. It is
 * set here unless the host set it; a host that started a JDK HTTP server before (a Prometheus
 * exporter) has fixed it already, and its value holds.
 */
final class SlowClients {

  static final String MAX_REQUEST_TIME = "sun.net.httpserver.maxReqTime";

  private SlowClients() {}

  static void bound(Duration requestTimeout) {
    if (System.getProperty(MAX_REQUEST_TIME) == null && !requestTimeout.isZero()) {
      System.setProperty(MAX_REQUEST_TIME, Long.toString(Math.max(1, requestTimeout.toSeconds())));
    }
  }
}
