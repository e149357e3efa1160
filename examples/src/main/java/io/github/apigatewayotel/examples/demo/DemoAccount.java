package io.github.apigatewayotel.examples.demo;

import io.github.apigatewayotel.testing.aws.ApiGatewaySimulator;
import io.github.apigatewayotel.testing.aws.CloudWatchLogsSimulator;
import io.github.apigatewayotel.testing.aws.CloudWatchSimulator;
import io.github.apigatewayotel.testing.aws.FakeAwsServer;
import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import io.github.apigatewayotel.testing.aws.StsSimulator;
import io.github.apigatewayotel.testing.aws.TaggingSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The demo's AWS account on loopback: the same {@link FakeAwsServer} and simulators the tests use
 * (CloudWatch, API Gateway, tagging, STS, CloudWatch Logs), speaking the real wire protocols, over
 * {@link SimulatedAccount#demo} (REST, HTTP and WebSocket APIs), with access logs written
 * continuously into CloudWatch Logs.
 */
public final class DemoAccount implements AutoCloseable {

  public static final String ACCOUNT_ID = "123456789012";
  public static final String REGION = "us-east-1";

  /** The same seed gives the same APIs, metrics and traffic on every run. */
  static final long SEED = 42;

  /** Access logs written before start-up, so the first poll already finds some. */
  static final Duration LOG_HISTORY = Duration.ofMinutes(2);

  private final FakeAwsServer server;
  private final AccessLogTrafficGenerator traffic;
  private final List<DemoLogGroup> groups;
  private final int apiCount;
  private final List<String> logLinesLegend;

  private DemoAccount(
      FakeAwsServer server,
      AccessLogTrafficGenerator traffic,
      List<DemoLogGroup> groups,
      int apiCount,
      List<String> logLinesLegend) {
    this.server = server;
    this.traffic = traffic;
    this.groups = groups;
    this.apiCount = apiCount;
    this.logLinesLegend = logLinesLegend;
  }

  /**
   * Starts the account on an ephemeral loopback port, its history of access logs written, each
   * stage's log laid out as {@code layout} says.
   */
  static DemoAccount start(DemoLogGroup.Layout layout) {
    SimulatedAccount account = SimulatedAccount.demo(ACCOUNT_ID, REGION, SEED);
    CloudWatchLogsSimulator logs = new CloudWatchLogsSimulator(ACCOUNT_ID);
    List<DemoLogGroup> groups = DemoLogGroup.of(account, REGION, layout);
    AccessLogTrafficGenerator traffic =
        new AccessLogTrafficGenerator(
            logs, groups, new TrafficModel(SEED), System::currentTimeMillis);
    traffic.backfill(LOG_HISTORY);
    FakeAwsServer server;
    try {
      server = FakeAwsServer.start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not listen on loopback for the simulated account", e);
    }
    server
        .register(new CloudWatchSimulator(account))
        .register(new ApiGatewaySimulator(account))
        .register(new TaggingSimulator(account))
        .register(new StsSimulator(account))
        .register(logs);
    traffic.start();
    return new DemoAccount(
        server, traffic, groups, account.apis(REGION).size(), LogLinesLegend.of(account, REGION));
  }

  /** The loopback URL every AWS client of the plugin points at. */
  public URI endpoint() {
    return server.endpoint();
  }

  public int apiCount() {
    return apiCount;
  }

  public int logGroupCount() {
    return groups.size();
  }

  /** Access-log lines written to CloudWatch Logs so far. */
  public long logLinesWritten() {
    return traffic.linesWritten();
  }

  /** Of {@link #logLinesWritten()}, those of requests at or after {@code epochMillis}. */
  public long logLinesWrittenSince(long epochMillis) {
    return traffic.linesWrittenSince(epochMillis);
  }

  /** Why some stages and routes have no access-log lines (the live view's legend). */
  List<String> logLinesLegend() {
    return logLinesLegend;
  }

  @Override
  public void close() {
    traffic.close();
    server.close();
  }
}
