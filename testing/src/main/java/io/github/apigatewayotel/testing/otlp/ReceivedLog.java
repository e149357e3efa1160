package io.github.apigatewayotel.testing.otlp;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.List;
import java.util.Optional;

/** One decoded OTLP log record with the resource and scope it was sent under. */
public record ReceivedLog(Resource resource, InstrumentationScope scope, LogRecord record) {

  /** The record's attribute {@code key}, if present. */
  public Optional<AnyValue> attribute(String key) {
    return find(record.getAttributesList(), key);
  }

  /** The record's string attribute {@code key}, or null. */
  public String stringAttribute(String key) {
    return attribute(key).map(AnyValue::getStringValue).orElse(null);
  }

  public String body() {
    return record.getBody().getStringValue();
  }

  static Optional<AnyValue> find(List<KeyValue> attributes, String key) {
    for (KeyValue keyValue : attributes) {
      if (keyValue.getKey().equals(key)) {
        return Optional.of(keyValue.getValue());
      }
    }
    return Optional.empty();
  }
}
