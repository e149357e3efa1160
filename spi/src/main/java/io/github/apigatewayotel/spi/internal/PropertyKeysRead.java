package io.github.apigatewayotel.spi.internal;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The host's configuration, remembering every key read through it: reading the plugin's
 * configuration through one of these tells which keys are the plugin's, from the code that reads
 * them, so a key added later is known as soon as it is read ({@link UnknownPropertyKeys}).
 */
final class PropertyKeysRead implements ConfigProperties {

  private final ConfigProperties delegate;
  private final Set<String> keys = new LinkedHashSet<>();

  PropertyKeysRead(ConfigProperties delegate) {
    this.delegate = delegate;
  }

  /** The keys read so far, in the order first read. */
  synchronized Set<String> keys() {
    return Set.copyOf(keys);
  }

  private synchronized String read(String name) {
    keys.add(name);
    return name;
  }

  @Override
  public String getString(String name) {
    return delegate.getString(read(name));
  }

  @Override
  public Boolean getBoolean(String name) {
    return delegate.getBoolean(read(name));
  }

  @Override
  public Integer getInt(String name) {
    return delegate.getInt(read(name));
  }

  @Override
  public Long getLong(String name) {
    return delegate.getLong(read(name));
  }

  @Override
  public Double getDouble(String name) {
    return delegate.getDouble(read(name));
  }

  @Override
  public Duration getDuration(String name) {
    return delegate.getDuration(read(name));
  }

  @Override
  public List<String> getList(String name) {
    return delegate.getList(read(name));
  }

  @Override
  public Map<String, String> getMap(String name) {
    return delegate.getMap(read(name));
  }
}
