package io.github.apigatewayotel.logs.internal.cloudwatch;

/**
 * Receives each new log event of a group; must not throw.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
@FunctionalInterface
public interface LogEventSink {

  void accept(String logGroup, String logStream, long timestampMillis, String message);
}
