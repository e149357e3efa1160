package io.github.apigatewayotel.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.testing.aws.ApiGatewaySimulator;
import io.github.apigatewayotel.testing.aws.AwsServiceHandler;
import io.github.apigatewayotel.testing.aws.CloudWatchLogsSimulator;
import io.github.apigatewayotel.testing.aws.CloudWatchSimulator;
import io.github.apigatewayotel.testing.aws.FakeAwsServer;
import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import io.github.apigatewayotel.testing.aws.StsSimulator;
import io.github.apigatewayotel.testing.aws.TaggingSimulator;
import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import java.io.IOException;
import java.nio.file.Path;
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

  /** Writes {@code lines} into {@code group}, a minute ago, over three streams. */
  static void putLines(CloudWatchLogsSimulator logs, String group, List<String> lines) {
    long minuteAgo = System.currentTimeMillis() - 60_000;
    for (int i = 0; i < lines.size(); i++) {
      logs.putLogEvent(group, "stream-" + (i % 3), minuteAgo + i, lines.get(i));
    }
  }

  /**
   * The plugin against a simulated account in {@code region}, exporting quickly: metrics without
   * the late-data delay, logs polled every second, both looking back far enough to find data.
   */
  /**
   * Runs the standalone host with {@code --once}, metrics only (5 minutes back, no delay), against
   * {@code aws} with {@code stateDir}, exporting to {@code receiver}; returns once it exited 0.
   */
  static void pollMetricsOnce(
      OtlpTestReceiver receiver,
      FakeAwsServer aws,
      String region,
      Path stateDir,
      Path dir,
      String... more)
      throws Exception {
    List<String> properties = new ArrayList<>(List.of(more));
    properties.addAll(
        List.of(
            "-Dotel.logs.exporter=none",
            "-Dotel.apigateway.logs.enabled=false",
            "-Dotel.apigateway.regions=" + region,
            "-Dotel.apigateway.aws.endpoint=" + aws.endpoint(),
            "-Dotel.apigateway.metrics.delay=0s",
            "-Dotel.apigateway.metrics.lookback=5m",
            "-Dotel.apigateway.state.dir=" + stateDir));
    try (ChildJvm host =
        ChildJvm.start(
            exportTo(receiver, properties.toArray(new String[0])),
            List.of("-jar", ItPaths.standaloneJar().toString(), "--once"),
            AWS_CREDENTIALS,
            dir)) {
      assertThat(host.waitFor(120)).as(host.output()).isZero();
    }
  }

  static List<String> quickPlugin(FakeAwsServer aws, String region) {
    return List.of(
        "-Dotel.metric.export.interval=500",
        "-Dotel.blrp.schedule.delay=100",
        "-Dotel.apigateway.regions=" + region,
        "-Dotel.apigateway.aws.endpoint=" + aws.endpoint(),
        "-Dotel.apigateway.metrics.delay=0s",
        "-Dotel.apigateway.metrics.lookback=5m",
        "-Dotel.apigateway.logs.lookback=10m",
        "-Dotel.apigateway.logs.interval=1s");
  }

  @SafeVarargs
  static List<String> concat(List<String> first, List<String>... more) {
    List<String> all = new ArrayList<>(first);
    for (List<String> list : more) {
      all.addAll(list);
    }
    return all;
  }
}
