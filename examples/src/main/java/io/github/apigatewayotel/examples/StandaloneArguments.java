package io.github.apigatewayotel.examples;

import java.util.List;

/**
 * The command line of the standalone host and of the demo's host: their options, help texts and
 * exit statuses, in one place so that {@code --help}, the README and the hosts agree.
 *
 * @param once run each source once, flush, exit
 * @param demo run against the simulated account
 * @param plain append the live view's frames instead of redrawing them
 * @param help print the help and exit
 */
public record StandaloneArguments(boolean once, boolean demo, boolean plain, boolean help) {

  /** Everything worked; Ctrl-C ends a continuous run this way too. */
  public static final int EXIT_OK = 0;

  /** A source failed (with {@code --once}), or telemetry could not be exported before exit. */
  public static final int EXIT_FAILED = 1;

  /** An argument the host does not know. */
  public static final int EXIT_USAGE = 2;

  /** A bad {@code otel.*} property: fixed by the configuration, not by running again. */
  public static final int EXIT_CONFIGURATION = 3;

  public static final String USAGE =
      "usage: java [-Dotel...] -jar apigateway-otel-standalone.jar [--once] [--help]";

  public static final String DEMO_USAGE =
      "usage: java [-Dotel...] -jar apigateway-otel-demo.jar [--once] [--plain] [--help]";

  /** What the standalone jar says to {@code --demo}: it carries no test code, so no demo. */
  static final String DEMO_MOVED =
      "the demo has a jar of its own: java -jar examples/target/apigateway-otel-demo.jar";

  private static final String CONFIGURE =
      "Configure it with -D system properties or environment variables: otel.apigateway.*\n"
          + "for the plugin (e.g. -Dotel.apigateway.regions=us-east-1), otel.* for the SDK (e.g.\n"
          + "OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318). Every property: docs/configuration.md.\n";

  private static final String ONCE =
      "  --once   run each source once to its end (one metrics poll; every log group or file up to\n"
          + "           now), flush every exporter and exit. The exit status says whether every source\n"
          + "           worked; each failure is printed with its reason.\n";

  private static final String EXIT =
      "Without --once it runs until Ctrl-C, then flushes every exporter and exits.\n"
          + "\n"
          + "Exit status: "
          + EXIT_OK
          + " done; "
          + EXIT_FAILED
          + " a source failed (--once) or telemetry could not be exported before exit;\n"
          + "             "
          + EXIT_USAGE
          + " an unknown argument; "
          + EXIT_CONFIGURATION
          + " a configuration error (a bad otel.* property).";

  public static final String HELP =
      USAGE
          + "\n\n"
          + "Runs only the apigateway-otel plugin against AWS: Amazon API Gateway metrics from CloudWatch\n"
          + "and access logs from CloudWatch Logs or files, sent through the OpenTelemetry SDK's exporters\n"
          + "(OTLP by default). "
          + CONFIGURE
          + "\n"
          + ONCE
          + "  --help   print this and exit.\n"
          + "\n"
          + "The demo (a simulated AWS account on loopback) is its own jar: apigateway-otel-demo.jar.\n"
          + EXIT;

  public static final String DEMO_HELP =
      DEMO_USAGE
          + "\n\n"
          + "Runs the apigateway-otel plugin against a simulated AWS account on loopback (REST, HTTP and\n"
          + "WebSocket APIs with live traffic), polled like a real one. Without an OTLP endpoint it shows a\n"
          + "live view of what would be sent; with one, it sends there. "
          + CONFIGURE
          + "\n"
          + ONCE
          + "  --plain  append the live view's frames instead of redrawing the screen (for logs and CI;\n"
          + "           also the default when standard output is not a terminal).\n"
          + "  --demo   accepted, and means nothing more (this jar is the demo).\n"
          + "  --help   print this and exit.\n"
          + "\n"
          + EXIT;

  /** The options in {@code args}; IllegalArgumentException names one it does not know. */
  public static StandaloneArguments parse(List<String> args) {
    boolean once = false;
    boolean demo = false;
    boolean plain = false;
    boolean help = false;
    for (String argument : args) {
      switch (argument) {
        case "--once" -> once = true;
        case "--demo" -> demo = true;
        case "--plain" -> plain = true;
        case "--help", "-h" -> help = true;
        default -> throw new IllegalArgumentException("unknown argument: " + argument);
      }
    }
    return new StandaloneArguments(once, demo, plain, help);
  }
}
