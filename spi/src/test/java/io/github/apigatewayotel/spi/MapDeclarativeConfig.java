package io.github.apigatewayotel.spi;

import io.opentelemetry.api.incubator.config.DeclarativeConfigProperties;
import io.opentelemetry.common.ComponentLoader;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** A parsed YAML mapping as the SDK's declarative configuration hands it to a component. */
final class MapDeclarativeConfig implements DeclarativeConfigProperties {

  private final Map<String, ?> values;

  MapDeclarativeConfig(Map<String, ?> values) {
    this.values = values;
  }

  @Override
  public String getString(String name) {
    Object value = values.get(name);
    return value instanceof String ? (String) value : null;
  }

  @Override
  public Boolean getBoolean(String name) {
    Object value = values.get(name);
    return value instanceof Boolean ? (Boolean) value : null;
  }

  @Override
  public Integer getInt(String name) {
    Object value = values.get(name);
    return value instanceof Integer ? (Integer) value : null;
  }

  @Override
  public Long getLong(String name) {
    Object value = values.get(name);
    return value instanceof Number ? ((Number) value).longValue() : null;
  }

  @Override
  public Double getDouble(String name) {
    Object value = values.get(name);
    return value instanceof Number ? ((Number) value).doubleValue() : null;
  }

  @Override
  public <T> List<T> getScalarList(String name, Class<T> scalarType) {
    Object value = values.get(name);
    if (!(value instanceof List)) {
      return null;
    }
    return ((List<?>) value).stream().map(scalarType::cast).collect(Collectors.toList());
  }

  @Override
  @SuppressWarnings("unchecked")
  public DeclarativeConfigProperties getStructured(String name) {
    Object value = values.get(name);
    return value instanceof Map ? new MapDeclarativeConfig((Map<String, ?>) value) : null;
  }

  @Override
  public List<DeclarativeConfigProperties> getStructuredList(String name) {
    return null;
  }

  @Override
  public Set<String> getPropertyKeys() {
    return values.keySet();
  }

  @Override
  public ComponentLoader getComponentLoader() {
    return ComponentLoader.forClassLoader(MapDeclarativeConfig.class.getClassLoader());
  }
}
