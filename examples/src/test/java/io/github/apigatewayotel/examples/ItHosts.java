package io.github.apigatewayotel.examples;

import io.github.apigatewayotel.testing.aws.ApiGatewaySimulator;
import io.github.apigatewayotel.testing.aws.AwsServiceHandler;
import io.github.apigatewayotel.testing.aws.CloudWatchSimulator;
import io.github.apigatewayotel.testing.aws.FakeAwsServer;
import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import io.github.apigatewayotel.testing.aws.StsSimulator;
import io.github.apigatewayotel.testing.aws.TaggingSimulator;
import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the end-to-end tests give every host process: where to export, which AWS to talk to. */
final class ItHosts {

  /** Static credentials the simulated account accepts. */
  static final Map<String, String> AWS_CREDENTIALS =
      Map.of("AWS_ACCESS_KEY_ID", "AKIDTEST", "AWS_SECRET_ACCESS_KEY", "secret");

  private ItHosts() {}

  /** JVM arguments that send logs and metrics to {@code receiver} over OTLP/HTTP, no traces. */
  static List<String> exportTo(OtlpTestReceiver receiver, String... more) {
    List<String> args = new ArrayList<>();
    args.add("-Dotel.exporter.otlp.endpoint=" + receiver.endpoint());
    args.add("-Dotel.exporter.otlp.protocol=http/protobuf");
    args.add("-Dotel.traces.exporter=none");
    args.addAll(List.of(more));
    return args;
  }

  /** The classpath of a plain autoconfigure application with the drop-in jar added. */
  static List<String> autoconfigureClasspath() throws IOException {
    return List.of(
        "-cp",
        ChildJvm.classpath(
            ItPaths.hostClasspath(),
            ItPaths.dropInJar().toString(),
            ItPaths.examplesClasses().toString()));
  }

  /** A loopback AWS endpoint serving {@code account}'s metrics, APIs, tags and STS. */
  static FakeAwsServer serve(SimulatedAccount account, AwsServiceHandler... more)
      throws IOException {
    FakeAwsServer aws =
        FakeAwsServer.start()
            .register(new CloudWatchSimulator(account))
            .register(new ApiGatewaySimulator(account))
            .register(new TaggingSimulator(account))
            .register(new StsSimulator(account));
    for (AwsServiceHandler handler : more) {
      aws.register(handler);
    }
    return aws;
  }

  static List<String> concat(List<String> first, List<String> second) {
    List<String> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }
}
