package io.github.apigatewayotel.testing.aws;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Serves a simulated account on loopback in its own process, so a benchmark measures the client
 * alone. Arguments: {@code apis stages routes region clockEpochSecond}. Prints {@code endpoint=URI}
 * once ready; each line read from stdin is an epoch second to set the simulated clock to, answered
 * with the request counts so far and GetMetricData's billed metric requests; stdin closing stops
 * it.
 */
public final class SimulatedAwsMain {

  private SimulatedAwsMain() {}

  public static void main(String[] args) throws Exception {
    int apis = Integer.parseInt(args[0]);
    int stages = Integer.parseInt(args[1]);
    int routes = Integer.parseInt(args[2]);
    String region = args[3];
    SimulatedAccount account =
        new SimulatedAccount("123456789012", 7).addGeneratedApis(region, apis, stages, routes);
    AtomicReference<Instant> now =
        new AtomicReference<>(Instant.ofEpochSecond(Long.parseLong(args[4])));
    account.setClock(now::get);
    account.series(region); // build the listing before the client starts timing
    CloudWatchSimulator cloudWatch = new CloudWatchSimulator(account);
    try (FakeAwsServer server = FakeAwsServer.start()) {
      server
          .register(cloudWatch)
          .register(new ApiGatewaySimulator(account))
          .register(new TaggingSimulator(account))
          .register(new StsSimulator(account));
      System.out.println(
          "endpoint=" + server.endpoint() + " series=" + account.series(region).size());
      System.out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        now.set(Instant.ofEpochSecond(Long.parseLong(line.trim())));
        System.out.println(
            "clock="
                + now.get()
                + " GetMetricData="
                + server.requestCount("GetMetricData")
                + " ListMetrics="
                + server.requestCount("ListMetrics")
                + " MetricsRequested="
                + cloudWatch.metricsRequested());
        System.out.flush();
      }
    }
  }
}
