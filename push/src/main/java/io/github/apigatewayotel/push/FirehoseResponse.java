package io.github.apigatewayotel.push;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Firehose's response: {@code application/json} with {@code requestId} (the request's), {@code
 * timestamp} (milliseconds) and, on an error, {@code errorMessage}. Firehose treats anything but
 * 200 as a failed delivery and retries it, and logs the status and body to its error log.
 */
final class FirehoseResponse {

  private static final JsonFactory JSON = new JsonFactory();

  private FirehoseResponse() {}

  static byte[] body(String requestId, long timestamp, String errorMessage) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("requestId", requestId == null ? "" : requestId);
      json.writeNumberField("timestamp", timestamp);
      if (errorMessage != null) {
        json.writeStringField("errorMessage", errorMessage);
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }

  static void send(HttpExchange exchange, int status, String requestId, String errorMessage)
      throws IOException {
    byte[] body = body(requestId, System.currentTimeMillis(), errorMessage);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** As {@link #send}, when the exchange may be broken already (the client went away). */
  static void trySend(HttpExchange exchange, int status, String requestId, String errorMessage) {
    try {
      send(exchange, status, requestId, errorMessage);
    } catch (IOException | RuntimeException ignored) {
      // nothing more to tell a client that is gone; the request was counted
    }
  }
}
