package io.github.apigatewayotel.logs.internal.cloudwatch;

/** Receives each new log event of a group; must not throw. */
@FunctionalInterface
public interface LogEventSink {

  void accept(String logGroup, String logStream, long timestampMillis, String message);
}
