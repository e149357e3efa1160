package io.github.apigatewayotel.spi.internal;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The plugin's block of a declarative (YAML) configuration as the {@code otel.apigateway.*}
 * properties it stands for, so both are read by one parser ({@link ApiGatewayConfig}): each key
 * path is a property name below {@code otel.apigateway.}, nested ({@code metrics: {period: 5m}}) or
 * dotted ({@code metrics.period: 5m}) alike, and a list is the property's comma-separated list.
 */
public final class DeclarativeConfigKeys {

  static final String PREFIX = "otel.apigateway";

  private DeclarativeConfigKeys() {}

  /**
   * {@code block} (a parsed YAML mapping) as properties; {@code skip} names top-level keys that are
   * not the plugin's.
   */
  public static Map<String, String> toProperties(Map<String, Object> block, List<String> skip) {
    Map<String, String> properties = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : block.entrySet()) {
      if (!skip.contains(entry.getKey())) {
        add(properties, PREFIX + "." + entry.getKey(), entry.getValue());
      }
    }
    return properties;
  }

  private static void add(Map<String, String> properties, String key, Object value) {
    if (value == null) {
      return;
    }
    if (value instanceof Map) {
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
        add(properties, key + "." + entry.getKey(), entry.getValue());
      }
    } else if (value instanceof List) {
      List<?> list = (List<?>) value;
      if (list.stream().anyMatch(item -> item instanceof Map || item instanceof List)) {
        throw new ConfigurationException(
            "Invalid value for property " + key + ": a list of plain values was expected");
      }
      properties.put(key, list.stream().map(String::valueOf).collect(Collectors.joining(",")));
    } else {
      properties.put(key, String.valueOf(value));
    }
  }
}
