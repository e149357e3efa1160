package io.github.apigatewayotel.spi;

import io.github.apigatewayotel.spi.internal.PluginRuntime;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

/**
 * The plugin as started for one host SDK. Hosts rarely need it: autoconfigure starts the plugin by
 * itself. A host that drives it (the standalone host's {@code --once}) looks it up with {@link
 * #of(OpenTelemetry)}, waits for {@link #awaitCompletion(Duration)}, and {@linkplain #close()
 * closes} it before flushing and shutting its SDK down: closing has each metric reader export the
 * datapoints still pending, piece after piece, which the SDK's final flush (one piece) does not.
 */
public final class ApiGatewayPlugin implements AutoCloseable {

  private static final Map<OpenTelemetry, ApiGatewayPlugin> bySdk =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final PluginRuntime runtime;

  private ApiGatewayPlugin(PluginRuntime runtime) {
    this.runtime = runtime;
  }

  static ApiGatewayPlugin register(OpenTelemetry sdk, PluginRuntime runtime) {
    ApiGatewayPlugin plugin = new ApiGatewayPlugin(runtime);
    bySdk.put(sdk, plugin);
    return plugin;
  }

  /** The plugin autoconfigure started for {@code sdk}, if any. */
  public static Optional<ApiGatewayPlugin> of(OpenTelemetry sdk) {
    return Optional.ofNullable(bySdk.get(sdk));
  }

  /**
   * With {@code otel.apigateway.mode=once}, waits until every source has run to its end (a file to
   * EOF, one metrics poll); otherwise until every source has started. False on timeout.
   */
  public boolean awaitCompletion(Duration timeout) throws InterruptedException {
    return runtime.awaitCompletion(timeout);
  }

  /**
   * How many sources could not start (no region, say) or, with {@code otel.apigateway.mode=once},
   * met a problem in their run (AWS refused, unreachable...); each was logged.
   */
  public int failedSources() {
    return runtime.failedSources();
  }

  /**
   * What went wrong, one line per problem, each naming its source (e.g. {@code cloudwatch metrics
   * in us-east-1: ...}); empty when everything worked. Complete once {@link #awaitCompletion}
   * returned true in {@code once} mode.
   */
  public List<String> failures() {
    return runtime.failures();
  }

  /**
   * Stops every source and the plugin's threads, after each metric reader exported the datapoints
   * still pending (piece after piece, up to 30 seconds, until an export fails). The host's SDK is
   * left to the host; close this before shutting it down.
   */
  @Override
  public void close() {
    runtime.close();
  }
}
