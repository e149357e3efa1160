package io.github.apigatewayotel.examples;

import io.github.apigatewayotel.spi.ApiGatewayPlugin;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A host that does nothing but run the plugin: the OpenTelemetry SDK with autoconfigure, the
 * plugin discovered through its SPI, and the OTLP and stdout exporters.
 *
 * <pre>
 * java [-Dotel...] -jar apigateway-otel-standalone.jar [--demo] [--once]
 * </pre>
 *
 * {@code --once} runs each enabled source to its end, flushes every exporter and exits 0. {@code
 * --demo} runs on an embedded sample instead of an AWS account (see {@link DemoDefaults}).
 */
public final class StandaloneHost {

  /** How long {@code --once} waits for the sources before giving up (exit 1). */
  private static final Duration ONCE_TIMEOUT = Duration.ofMinutes(10);

  private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(30);

  private StandaloneHost() {}

  public static void main(String[] args) throws Exception {
    List<String> arguments = Arrays.asList(args);
    for (String argument : arguments) {
      if (!argument.equals("--once") && !argument.equals("--demo")) {
        System.err.println("unknown argument: " + argument);
        System.err.println("usage: java [-Dotel...] -jar apigateway-otel-standalone.jar [--demo] [--once]");
        System.exit(2);
      }
    }
    boolean once = arguments.contains("--once");
    Map<String, String> defaults =
        arguments.contains("--demo") ? DemoDefaults.properties() : Map.of();
    System.exit(run(once, defaults));
  }

  static int run(boolean once, Map<String, String> defaults) throws InterruptedException {
    OpenTelemetrySdk sdk =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(() -> defaults)
            .addPropertiesSupplier(() -> once ? Map.of("otel.apigateway.mode", "once") : Map.of())
            .build()
            .getOpenTelemetrySdk();
    ApiGatewayPlugin plugin = ApiGatewayPlugin.of(sdk).orElse(null);
    if (plugin == null) {
      System.err.println("apigateway-otel: the plugin did not start (is otel.sdk.disabled set?)");
      shutdown(sdk);
      return 1;
    }
    if (once) {
      boolean completed = plugin.awaitCompletion(ONCE_TIMEOUT);
      plugin.close();
      boolean flushed = shutdown(sdk);
      if (!completed) {
        System.err.println("apigateway-otel: sources did not finish within " + ONCE_TIMEOUT);
      }
      return completed && flushed ? 0 : 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  plugin.close();
                  shutdown(sdk);
                  stopped.countDown();
                },
                "apigateway-otel-shutdown"));
    stopped.await();
    return 0;
  }

  /** Flushes and shuts down every provider; false when an exporter did not confirm in time. */
  private static boolean shutdown(OpenTelemetrySdk sdk) {
    CompletableResultCode result = sdk.shutdown().join(FLUSH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    if (!result.isSuccess()) {
      System.err.println("apigateway-otel: some telemetry could not be exported before exit");
    }
    return result.isSuccess();
  }
}
