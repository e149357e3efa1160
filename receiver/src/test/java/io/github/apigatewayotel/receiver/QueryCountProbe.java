package io.github.apigatewayotel.receiver;

import io.github.apigatewayotel.testing.aws.ApiGatewaySimulator;
import io.github.apigatewayotel.testing.aws.CloudWatchSimulator;
import io.github.apigatewayotel.testing.aws.FakeAwsServer;
import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import io.github.apigatewayotel.testing.aws.StsSimulator;
import io.github.apigatewayotel.testing.aws.TaggingSimulator;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * GetMetricData queries one poll makes (each billed) with and without per-route (detailed) metrics,
 * against the simulated account of the scale benchmark's shape (generated APIs, REST, HTTP and
 * WebSocket in turn, each stage with detailed metrics on), polled once in process over the real
 * wire protocols. The price of a poll follows: CloudWatch bills GetMetricData at $0.01 per 1,000
 * metrics requested. Arguments: [apis] [stages] [routes].
 *
 * <pre>./mvnw -B -q -pl receiver test-compile exec:exec -Dexec.executable=java
 *   -Dexec.classpathScope=test
 *   "-Dexec.args=-Xmx1g -cp %classpath io.github.apigatewayotel.receiver.QueryCountProbe 1000 3 2"
 * </pre>
 */
public final class QueryCountProbe {

  private QueryCountProbe() {}

  public static void main(String[] args) throws Exception {
    int apis = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    int stages = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int routes = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    String region = "us-east-1";
    MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:30Z"));
    SimulatedAccount account =
        new SimulatedAccount("123456789012", 7).addGeneratedApis(region, apis, stages, routes);
    account.setClock(clock::instant);
    try (FakeAwsServer aws = FakeAwsServer.start()) {
      aws.register(new CloudWatchSimulator(account))
          .register(new ApiGatewaySimulator(account))
          .register(new TaggingSimulator(account))
          .register(new StsSimulator(account));
      for (boolean detailed : new boolean[] {true, false}) {
        try (ApiGatewayMetricsReceiver receiver =
            ApiGatewayMetricsReceiver.builder()
                .addRegion(region)
                .endpointOverride(aws.endpoint())
                .credentialsProvider(
                    StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIDTEST", "secret")))
                .clock(clock)
                .lookback(Duration.ofMinutes(1))
                .detailedMetrics(detailed)
                .build()) {
          PollSummary poll = receiver.pollOnce();
          System.out.printf(
              Locale.ROOT,
              "%d APIs x %d stages x %d routes, detailed=%s: %,d series, %,d GetMetricData queries"
                  + " per poll in %,d calls = $%.4f per poll, $%,.2f per 30-day month at one poll a"
                  + " minute%n",
              apis,
              stages,
              routes,
              detailed,
              poll.series(),
              poll.queries(),
              poll.getMetricDataCalls(),
              poll.queries() / 1000.0 * 0.01,
              poll.queries() / 1000.0 * 0.01 * 60 * 24 * 30);
        }
      }
    }
  }
}
