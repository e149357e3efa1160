package io.github.apigatewayotel.push;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.apigatewayotel.logs.AccessLogFormat;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code X-Amz-Firehose-Common-Attributes} header ({@code {"commonAttributes": {...}}}, the
 * stream's "parameters"): {@value #LOG_FORMAT} gives the access-log format of the raw lines of the
 * stream (a name such as {@code clf}, or the stage's format string), so that each API Gateway stage
 * writing to its own {@code amazon-apigateway-*} stream is parsed with its own format. Other
 * attributes are ignored.
 */
final class CommonAttributes {

  static final String LOG_FORMAT = "apigateway.logs.format";
  private static final JsonFactory JSON = new JsonFactory();

  static final class Invalid extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Invalid(String message) {
      super(message);
    }
  }

  private final AccessLogFormat fallback;
  private final Map<String, AccessLogFormat> compiled = new ConcurrentHashMap<>();

  CommonAttributes(AccessLogFormat fallback) {
    this.fallback = fallback;
  }

  /** The raw-line format the header names, or null when it names none. */
  AccessLogFormat rawLineFormat(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String format = null;
    try (JsonParser parser = JSON.createParser(header)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new Invalid(FirehoseEndpoint.COMMON_ATTRIBUTES_HEADER + " is not a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("commonAttributes".equals(field) && value == JsonToken.START_OBJECT) {
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            parser.nextToken();
            if (LOG_FORMAT.equals(key)) {
              format = parser.getValueAsString();
            } else {
              parser.skipChildren();
            }
          }
        } else {
          parser.skipChildren();
        }
      }
    } catch (IOException e) {
      throw new Invalid(FirehoseEndpoint.COMMON_ATTRIBUTES_HEADER + " is not JSON");
    }
    if (format == null || format.isBlank()) {
      return null;
    }
    if (compiled.size() > 100) {
      compiled.clear();
    }
    String value = format;
    try {
      return compiled.computeIfAbsent(value, AccessLogFormat::of);
    } catch (IllegalArgumentException e) {
      throw new Invalid(
          "common attribute " + LOG_FORMAT + " is not an access-log format: " + e.getMessage());
    }
  }

  AccessLogFormat fallback() {
    return fallback;
  }
}
