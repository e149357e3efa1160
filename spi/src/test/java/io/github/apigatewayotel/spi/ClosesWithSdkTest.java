package io.github.apigatewayotel.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.apigatewayotel.spi.internal.ClosesWithSdk;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Closing the host's SDK stops the plugin: no thread of it keeps running (and polling AWS). */
class ClosesWithSdkTest {

  @Test
  void closingTheHostsSdkStopsEveryPluginThread(@TempDir Path temp) throws Exception {
    Path log = Files.writeString(temp.resolve("access.log"), "");
    java.util.Set<Thread> before = java.util.Set.copyOf(Thread.getAllStackTraces().keySet());
    OpenTelemetrySdk sdk =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(
                () ->
                    Map.of(
                        "otel.service.name", "closes-with-sdk-test",
                        "otel.traces.exporter", "none",
                        "otel.metrics.exporter", "none",
                        "otel.logs.exporter", "none",
                        "otel.apigateway.metrics.enabled", "false",
                        "otel.apigateway.logs.source", "file:" + log,
                        "otel.apigateway.state.dir", temp.resolve("state").toString()))
            .build()
            .getOpenTelemetrySdk();
    ApiGatewayPlugin plugin = ApiGatewayPlugin.of(sdk).orElseThrow();
    assertThat(plugin.awaitCompletion(java.time.Duration.ofSeconds(10))).isTrue();
    assertThat(pluginThreads(before)).isNotEmpty();

    sdk.shutdown().join(10, TimeUnit.SECONDS);

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(pluginThreads(before)).isEmpty());
  }

  @Test
  void aPluginAttachedAfterTheSdkShutDownIsClosedAtOnce() {
    ClosesWithSdk closes = new ClosesWithSdk();
    assertThat(closes.shutdown().isSuccess()).isTrue();
    AtomicInteger closed = new AtomicInteger();
    closes.attach(closed::incrementAndGet);
    assertThat(closed).hasValue(1);
  }

  @Test
  void shutdownClosesThePluginOnceAndCompletes() {
    ClosesWithSdk closes = new ClosesWithSdk();
    AtomicInteger closed = new AtomicInteger();
    closes.attach(closed::incrementAndGet);
    assertThat(closes.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(closes.shutdown().isSuccess()).isTrue();
    assertThat(closed).hasValue(1);
  }

  /**
   * The plugin's threads started since {@code before} (other tests' plugins are not this one's).
   */
  private static List<String> pluginThreads(java.util.Set<Thread> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.isAlive() && !before.contains(thread))
        .map(Thread::getName)
        .filter(name -> name.startsWith("apigateway-otel"))
        .toList();
  }
}
