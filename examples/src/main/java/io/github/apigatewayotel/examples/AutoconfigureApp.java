package io.github.apigatewayotel.examples;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.concurrent.TimeUnit;

/**
 * An ordinary application that uses SDK autoconfigure and knows nothing of this project: putting
 * the drop-in jar on its classpath and setting {@code otel.apigateway.*} is all it takes.
 *
 * <pre>
 * java -cp app.jar:otel-sdk-jars:apigateway-otel.jar -Dotel.apigateway.logs.source=file:... \
 *   io.github.apigatewayotel.examples.AutoconfigureApp [seconds]
 * </pre>
 */
public final class AutoconfigureApp {

  private AutoconfigureApp() {}

  public static void main(String[] args) throws InterruptedException {
    long seconds = args.length > 0 ? Long.parseLong(args[0]) : 60;
    OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.initialize().getOpenTelemetrySdk();
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> sdk.shutdown().join(10, TimeUnit.SECONDS)));
    // The application's own work would go here; the plugin runs on its own daemon threads.
    Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
  }
}
