package io.github.apigatewayotel.spi.internal;

import io.opentelemetry.api.incubator.config.ConfigProvider;
import io.opentelemetry.api.incubator.config.DeclarativeConfigProperties;
import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.sdk.autoconfigure.spi.internal.ExtendedDeclarativeConfigProperties;
import java.util.List;
import java.util.Set;

/**
 * The block of a component the plugin builds inside its own (the exporter under {@code
 * apigateway.exporter}) as the SDK hands a component its block: the SDK's OTLP exporters refuse a
 * block that does not carry the {@link ConfigProvider} of the configuration it comes from.
 */
final class NestedComponentConfig implements ExtendedDeclarativeConfigProperties {

  private final DeclarativeConfigProperties delegate;
  private final ConfigProvider configProvider;

  private NestedComponentConfig(
      DeclarativeConfigProperties delegate, ConfigProvider configProvider) {
    this.delegate = delegate;
    this.configProvider = configProvider;
  }

  /** {@code block}, carrying what {@code parent} (the block the SDK gave the plugin) carries. */
  static DeclarativeConfigProperties of(
      DeclarativeConfigProperties block, DeclarativeConfigProperties parent) {
    return parent instanceof ExtendedDeclarativeConfigProperties
        ? new NestedComponentConfig(
            block, ((ExtendedDeclarativeConfigProperties) parent).getConfigProvider())
        : block;
  }

  @Override
  public ConfigProvider getConfigProvider() {
    return configProvider;
  }

  @Override
  public String getString(String name) {
    return delegate.getString(name);
  }

  @Override
  public Boolean getBoolean(String name) {
    return delegate.getBoolean(name);
  }

  @Override
  public Integer getInt(String name) {
    return delegate.getInt(name);
  }

  @Override
  public Long getLong(String name) {
    return delegate.getLong(name);
  }

  @Override
  public Double getDouble(String name) {
    return delegate.getDouble(name);
  }

  @Override
  public <T> List<T> getScalarList(String name, Class<T> scalarType) {
    return delegate.getScalarList(name, scalarType);
  }

  @Override
  public DeclarativeConfigProperties getStructured(String name) {
    DeclarativeConfigProperties child = delegate.getStructured(name);
    return child == null ? null : new NestedComponentConfig(child, configProvider);
  }

  @Override
  public List<DeclarativeConfigProperties> getStructuredList(String name) {
    List<DeclarativeConfigProperties> children = delegate.getStructuredList(name);
    if (children == null) {
      return null;
    }
    return children.stream()
        .map(
            child -> (DeclarativeConfigProperties) new NestedComponentConfig(child, configProvider))
        .toList();
  }

  @Override
  public Set<String> getPropertyKeys() {
    return delegate.getPropertyKeys();
  }

  @Override
  public ComponentLoader getComponentLoader() {
    return delegate.getComponentLoader();
  }
}
