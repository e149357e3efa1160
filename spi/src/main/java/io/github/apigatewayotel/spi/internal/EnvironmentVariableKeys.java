package io.github.apigatewayotel.spi.internal;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The host's configuration, where a key with an underscore ({@code
 * otel.apigateway.metrics.max_pending_points}) is also found under the name autoconfigure gives
 * its environment variable ({@code OTEL_APIGATEWAY_METRICS_MAX_PENDING_POINTS} becomes {@code
 * otel.apigateway.metrics.max.pending.points}: every underscore a dot). The key as documented wins
 * when both are set.
 */
final class EnvironmentVariableKeys implements ConfigProperties {

  private final ConfigProperties delegate;

  private EnvironmentVariableKeys(ConfigProperties delegate) {
    this.delegate = delegate;
  }

  static ConfigProperties of(ConfigProperties config) {
    return config instanceof EnvironmentVariableKeys ? config : new EnvironmentVariableKeys(config);
  }

  /** The key to read: {@code name}, or its environment-variable form when only that is set. */
  private String keyOf(String name) {
    if (name.indexOf('_') < 0 || delegate.getString(name) != null) {
      return name;
    }
    String dotted = name.replace('_', '.');
    return delegate.getString(dotted) != null ? dotted : name;
  }

  @Override
  public String getString(String name) {
    return delegate.getString(keyOf(name));
  }

  @Override
  public Boolean getBoolean(String name) {
    return delegate.getBoolean(keyOf(name));
  }

  @Override
  public Integer getInt(String name) {
    return delegate.getInt(keyOf(name));
  }

  @Override
  public Long getLong(String name) {
    return delegate.getLong(keyOf(name));
  }

  @Override
  public Double getDouble(String name) {
    return delegate.getDouble(keyOf(name));
  }

  @Override
  public Duration getDuration(String name) {
    return delegate.getDuration(keyOf(name));
  }

  @Override
  public List<String> getList(String name) {
    return delegate.getList(keyOf(name));
  }

  @Override
  public Map<String, String> getMap(String name) {
    return delegate.getMap(keyOf(name));
  }
}
