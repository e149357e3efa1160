package io.github.apigatewayotel.examples;

import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * An application with no OpenTelemetry code at all, run under the OpenTelemetry Java agent with the
 * drop-in jar as an extension:
 *
 * <pre>
 * java -javaagent:opentelemetry-javaagent.jar -Dotel.javaagent.extensions=apigateway-otel.jar \
 *   -Dotel.apigateway.logs.source=file:... -cp app.jar io.github.apigatewayotel.examples.AgentApp
 * </pre>
 */
public final class AgentApp {

  private AgentApp() {}

  public static void main(String[] args) throws InterruptedException {
    long seconds = args.length > 0 ? Long.parseLong(args[0]) : 60;
    // What an application logs: under the agent, its log bridge exports it over OTLP.
    Logger.getLogger(AgentApp.class.getName()).fine("AgentApp running for " + seconds + " s");
    // The application's own work would go here; the agent flushes telemetry at shutdown.
    Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
  }
}
