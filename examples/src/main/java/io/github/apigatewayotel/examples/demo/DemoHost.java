package io.github.apigatewayotel.examples.demo;

import io.github.apigatewayotel.examples.StandaloneHost;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The demo's own jar ({@code apigateway-otel-demo.jar}): the standalone host running against the
 * simulated account of {@link DemoMode}. Kept out of {@code apigateway-otel-standalone.jar}, which a
 * user runs against AWS and which carries no test code.
 *
 * <pre>
 * java [-Dotel...] -jar apigateway-otel-demo.jar [--once] [--plain]
 * </pre>
 *
 * {@code --demo} is accepted too (and means nothing more), as the standalone jar took it before
 * the demo had a jar of its own.
 */
public final class DemoHost {

  private static final Set<String> ARGUMENTS = Set.of("--once", "--plain", "--demo");

  private static final String USAGE =
      "usage: java [-Dotel...] -jar apigateway-otel-demo.jar [--once] [--plain]";

  private DemoHost() {}

  public static void main(String[] args) throws Exception {
    List<String> arguments = Arrays.asList(args);
    for (String argument : arguments) {
      if (!ARGUMENTS.contains(argument)) {
        System.err.println("unknown argument: " + argument);
        System.err.println(USAGE);
        System.exit(2);
      }
    }
    boolean once = arguments.contains("--once");
    DemoMode demo = DemoMode.start(once, arguments.contains("--plain"));
    int status;
    try {
      status = StandaloneHost.run(once, Optional.of(demo));
    } finally {
      demo.close();
    }
    System.exit(status);
  }
}
