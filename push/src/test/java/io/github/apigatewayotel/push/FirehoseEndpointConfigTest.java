package io.github.apigatewayotel.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FirehoseEndpointConfigTest {

  @TempDir Path dir;

  private static FirehoseEndpoint.Builder apply(Map<String, String> properties) {
    Map<String, String> all = new HashMap<>(properties);
    all.putIfAbsent(FirehoseEndpointConfig.LISTEN, "127.0.0.1:0");
    return FirehoseEndpointConfig.apply(
        DefaultConfigProperties.createFromMap(all), FirehoseEndpoint.builder());
  }

  @Test
  void offUntilListenIsSet() {
    assertThat(FirehoseEndpointConfig.enabled(DefaultConfigProperties.createFromMap(Map.of())))
        .isFalse();
    assertThat(
            FirehoseEndpointConfig.enabled(
                DefaultConfigProperties.createFromMap(
                    Map.of(FirehoseEndpointConfig.LISTEN, "0.0.0.0:8080"))))
        .isTrue();
    assertThat(FirehoseEndpointConfig.listen("[::1]:8443").getPort()).isEqualTo(8443);
  }

  @Test
  void aBadListenAddressNamesTheKeyAndTheValue() {
    assertThatThrownBy(() -> apply(Map.of(FirehoseEndpointConfig.LISTEN, "8080")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(FirehoseEndpointConfig.LISTEN)
        .hasMessageContaining("8080")
        .hasMessageContaining("HOST:PORT");
    assertThatThrownBy(() -> apply(Map.of(FirehoseEndpointConfig.LISTEN, "0.0.0.0:99999")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("0 to 65535");
  }

  @Test
  void aValueOutOfRangeNamesItsLimit() {
    assertThatThrownBy(() -> apply(Map.of(FirehoseEndpointConfig.MAX_BODY_BYTES, "10")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(FirehoseEndpointConfig.MAX_BODY_BYTES)
        .hasMessageContaining("at least 1024")
        .hasMessageContaining("(value: 10)");
    assertThatThrownBy(() -> apply(Map.of(FirehoseEndpointConfig.THREADS, "0")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(FirehoseEndpointConfig.THREADS)
        .hasMessageContaining("at least 1");
  }

  @Test
  void aKeystoreThatDoesNotLoadNamesTheKeyButNotThePassword() throws Exception {
    Path keystore = Files.writeString(dir.resolve("not-a-keystore.p12"), "garbage");
    assertThatThrownBy(
            () ->
                apply(
                    Map.of(
                        FirehoseEndpointConfig.TLS_KEYSTORE,
                        keystore.toString(),
                        FirehoseEndpointConfig.TLS_KEYSTORE_PASSWORD,
                        "s3cret-DO-NOT-LEAK")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(FirehoseEndpointConfig.TLS_KEYSTORE)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret-DO-NOT-LEAK"));
  }
}
