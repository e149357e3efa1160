package io.github.apigatewayotel.examples.demo;

import io.github.apigatewayotel.examples.StandaloneArguments;
import io.github.apigatewayotel.examples.StandaloneHost;
import java.util.Arrays;
import java.util.Optional;

/**
 * The demo's own jar ({@code apigateway-otel-demo.jar}): the standalone host running against the
 * simulated account of {@link DemoMode}. Kept out of {@code apigateway-otel-standalone.jar}, which
 * a user runs against AWS and which carries no test code.
 *
 * <pre>
 * java [-Dotel...] -jar apigateway-otel-demo.jar [--once] [--plain] [--help]
 * </pre>
 *
 * {@code --demo} is accepted too (and means nothing more), as the standalone jar took it before the
 * demo had a jar of its own.
 */
public final class DemoHost {

  private DemoHost() {}

  public static void main(String[] args) throws Exception {
    StandaloneArguments arguments;
    try {
      arguments = StandaloneArguments.parse(Arrays.asList(args));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(StandaloneArguments.DEMO_USAGE);
      System.exit(StandaloneArguments.EXIT_USAGE);
      return;
    }
    if (arguments.help()) {
      System.out.println(StandaloneArguments.DEMO_HELP);
      System.exit(StandaloneArguments.EXIT_OK);
      return;
    }
    DemoMode demo = DemoMode.start(arguments.once(), arguments.plain());
    int status;
    try {
      status = StandaloneHost.launch(arguments.once(), Optional.of(demo));
    } finally {
      demo.close();
    }
    System.exit(status);
  }
}
