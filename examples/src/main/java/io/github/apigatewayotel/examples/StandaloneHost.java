package io.github.apigatewayotel.examples;

import io.github.apigatewayotel.push.FirehoseHosting;
import io.github.apigatewayotel.spi.ApiGatewayPlugin;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import sun.misc.Signal;

/**
 * A host that does nothing but run the plugin: the OpenTelemetry SDK with autoconfigure, the plugin
 * discovered through its SPI, and the OTLP and stdout exporters. Its options, help and exit
 * statuses are {@link StandaloneArguments}'s.
 *
 * <pre>
 * java [-Dotel...] -jar apigateway-otel-standalone.jar [--once] [--help]
 * </pre>
 *
 * {@code --once} runs each enabled source to its end, flushes every exporter and exits ({@link
 * StandaloneArguments} holds the options and exit statuses). Ctrl-C stops the plugin, flushes every
 * exporter and exits 0. The demo, against a simulated AWS account on loopback, is a jar of its own
 * ({@code apigateway-otel-demo.jar}, {@code demo.DemoHost}): this one is what a user runs against
 * AWS, and carries no test code.
 */
public final class StandaloneHost {

  /** How long {@code --once} waits for the sources before giving up (exit 1). */
  private static final Duration ONCE_TIMEOUT = Duration.ofMinutes(10);

  private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Autoconfigure logs an INFO of its own before it rethrows a configuration error; the host prints
   * the error itself, in one line. Held, since the log manager holds loggers weakly.
   */
  private static final Logger AUTOCONFIGURE_LOGGER =
      Logger.getLogger(AutoConfiguredOpenTelemetrySdkBuilder.class.getName());

  private StandaloneHost() {}

  public static void main(String[] args) throws Exception {
    StandaloneArguments arguments;
    try {
      arguments = StandaloneArguments.parse(Arrays.asList(args));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(StandaloneArguments.USAGE);
      System.exit(StandaloneArguments.EXIT_USAGE);
      return;
    }
    if (arguments.help()) {
      System.out.println(StandaloneArguments.HELP);
      System.exit(StandaloneArguments.EXIT_OK);
      return;
    }
    if (arguments.demo() || arguments.plain()) {
      System.err.println(
          (arguments.demo() ? "--demo" : "--plain") + ": " + StandaloneArguments.DEMO_MOVED);
      System.exit(StandaloneArguments.EXIT_USAGE);
      return;
    }
    System.exit(launch(arguments.once(), Optional.empty()));
  }

  /**
   * Runs the plugin as {@link #run} does, and turns a configuration error into one line on standard
   * error and {@link StandaloneArguments#EXIT_CONFIGURATION}; returns the exit status. The demo jar
   * ({@code demo.DemoHost}) launches through here too.
   */
  public static int launch(boolean once, Optional<StandaloneHostMode> demo)
      throws InterruptedException {
    AUTOCONFIGURE_LOGGER.setLevel(Level.WARNING);
    try {
      return run(once, demo);
    } catch (RuntimeException e) {
      ConfigurationException configuration = configurationError(e);
      if (configuration == null) {
        throw e;
      }
      // The user's mistake, not the host's: one line naming it, not a stack trace.
      System.err.println("apigateway-otel: configuration error: " + configuration.getMessage());
      return StandaloneArguments.EXIT_CONFIGURATION;
    }
  }

  private static ConfigurationException configurationError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConfigurationException configuration) {
        return configuration;
      }
    }
    return null;
  }

  /**
   * Runs the plugin in an autoconfigured SDK until the sources end ({@code once}) or Ctrl-C, with
   * {@code demo} (the demo jar's {@link StandaloneHostMode}) around it; returns the exit status.
   */
  static int run(boolean once, Optional<StandaloneHostMode> demo) throws InterruptedException {
    // Ctrl-C is how a user ends a foreground run: a normal end, not a failure (the JVM's default
    // would exit 130). Caught from the start, so a Ctrl-C during start-up ends the run as well.
    CountDownLatch interrupted = new CountDownLatch(1);
    if (!once) {
      Signal.handle(new Signal("INT"), signal -> interrupted.countDown());
    }
    Map<String, String> defaults = demo.map(StandaloneHostMode::properties).orElse(Map.of());
    AutoConfiguredOpenTelemetrySdkBuilder builder =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(() -> defaults)
            .addPropertiesSupplier(() -> once ? Map.of("otel.apigateway.mode", "once") : Map.of())
            // This host shuts the SDK down itself, after the plugin, so nothing is cut off.
            .disableShutdownHook();
    demo.ifPresent(mode -> mode.customize(builder));
    // The Firehose endpoint (otel.apigateway.firehose.listen; off by default): docs/firehose.md
    FirehoseHosting firehose = FirehoseHosting.create();
    firehose.customize(builder);
    OpenTelemetrySdk sdk = builder.build().getOpenTelemetrySdk();
    firehose.start(sdk);
    ApiGatewayPlugin plugin = ApiGatewayPlugin.of(sdk).orElse(null);
    if (plugin == null) {
      System.err.println("apigateway-otel: the plugin did not start (is otel.sdk.disabled set?)");
      firehose.close();
      shutdown(sdk);
      return StandaloneArguments.EXIT_FAILED;
    }
    demo.ifPresent(StandaloneHostMode::started);
    if (once) {
      boolean completed = plugin.awaitCompletion(ONCE_TIMEOUT);
      firehose.close();
      plugin.close();
      boolean flushed = shutdown(sdk);
      demo.ifPresent(StandaloneHostMode::stopped);
      if (!completed) {
        System.err.println("apigateway-otel: sources did not finish within " + ONCE_TIMEOUT);
      }
      List<String> failures = plugin.failures();
      if (!failures.isEmpty()) {
        System.err.println("apigateway-otel: " + plugin.failedSources() + " source(s) failed:");
        failures.forEach(failure -> System.err.println("  " + failure));
      }
      return completed && flushed && failures.isEmpty()
          ? StandaloneArguments.EXIT_OK
          : StandaloneArguments.EXIT_FAILED;
    }
    return runUntilStopped(plugin, firehose, sdk, demo, interrupted);
  }

  /**
   * Runs until Ctrl-C (exit 0 once flushed) or another termination signal (the JVM's own status).
   * Either way the plugin stops, then every exporter flushes, exactly once.
   */
  private static int runUntilStopped(
      ApiGatewayPlugin plugin,
      FirehoseHosting firehose,
      OpenTelemetrySdk sdk,
      Optional<StandaloneHostMode> demo,
      CountDownLatch interrupted)
      throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runnable stop =
        new Runnable() {
          private boolean done;

          @Override
          public synchronized void run() {
            if (done) {
              return;
            }
            done = true;
            firehose
                .close(); // requests under way finish first (5 s), then the plugin and exporters
            // stop
            plugin.close();
            shutdown(sdk);
            demo.ifPresent(StandaloneHostMode::stopped);
            stopped.countDown();
          }
        };
    Runtime.getRuntime().addShutdownHook(new Thread(stop, "apigateway-otel-shutdown"));
    interrupted.await();
    stop.run();
    stopped.await();
    return StandaloneArguments.EXIT_OK;
  }

  /**
   * Flushes and shuts down every provider; false when an exporter did not confirm in time. Logs are
   * flushed first, on their own: the stdout exporters each write whole JSON lines to the same
   * stream, and the providers' final exports would otherwise run at the same time and interleave.
   */
  private static boolean shutdown(OpenTelemetrySdk sdk) {
    sdk.getSdkLoggerProvider().forceFlush().join(FLUSH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    CompletableResultCode result =
        sdk.shutdown().join(FLUSH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    if (!result.isSuccess()) {
      System.err.println("apigateway-otel: some telemetry could not be exported before exit");
    }
    return result.isSuccess();
  }
}
