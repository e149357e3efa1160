package io.github.apigatewayotel.spi.internal;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.LogRecordProcessor;
import io.opentelemetry.sdk.logs.ReadWriteLogRecord;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Stops the plugin when the host shuts its SDK down ({@code OpenTelemetrySdk.close()}, the Java
 * agent at JVM exit): autoconfigure gives a provider no shutdown callback, but it shuts down every
 * log record processor, so the plugin registers this one, which sees no record. Without it a host
 * that closes its SDK and keeps running would keep the plugin's threads polling AWS.
 *
 * <p>The plugin closes on its own thread: closing waits for sources to finish the page in hand,
 * which must not block the SDK's own shutdown beyond the time its caller gives it.
 */
public final class ClosesWithSdk implements LogRecordProcessor {

  private static final Logger logger = Logger.getLogger(ClosesWithSdk.class.getName());

  private AutoCloseable plugin;
  private boolean shutDown;

  /** The plugin to close; closed at once if the SDK already shut down. */
  public void attach(AutoCloseable started) {
    boolean closeNow;
    synchronized (this) {
      closeNow = shutDown;
      plugin = closeNow ? null : started;
    }
    if (closeNow) {
      closeQuietly(started);
    }
  }

  /** True once the SDK shut down. */
  public synchronized boolean isShutDown() {
    return shutDown;
  }

  @Override
  public void onEmit(Context context, ReadWriteLogRecord logRecord) {}

  @Override
  public CompletableResultCode shutdown() {
    AutoCloseable toClose;
    synchronized (this) {
      shutDown = true;
      toClose = plugin;
      plugin = null;
    }
    if (toClose == null) {
      return CompletableResultCode.ofSuccess();
    }
    CompletableResultCode result = new CompletableResultCode();
    Thread closer =
        new Thread(
            () -> {
              closeQuietly(toClose);
              result.succeed();
            },
            "apigateway-otel-close");
    closer.setDaemon(true);
    closer.start();
    return result;
  }

  private static void closeQuietly(AutoCloseable plugin) {
    try {
      plugin.close();
    } catch (Exception e) {
      logger.log(Level.WARNING, "apigateway-otel: closing the plugin with the SDK failed", e);
    }
  }
}
