package io.github.apigatewayotel.examples.firehose;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.push.FirehoseEndpointConfig;
import io.github.apigatewayotel.spi.internal.PushPropertyKeys;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The plugin's unknown-key warning knows every key the Firehose endpoint reads, and no other. */
class FirehoseKeysKnownTest {

  @Test
  void thePluginKnowsTheEndpointsKeys() throws IllegalAccessException {
    Set<String> endpointKeys = new HashSet<>();
    for (Field field : FirehoseEndpointConfig.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
        endpointKeys.add((String) field.get(null));
      }
    }
    assertThat(endpointKeys).hasSizeGreaterThan(10);
    assertThat(PushPropertyKeys.ALL).containsExactlyInAnyOrderElementsOf(endpointKeys);
  }
}
