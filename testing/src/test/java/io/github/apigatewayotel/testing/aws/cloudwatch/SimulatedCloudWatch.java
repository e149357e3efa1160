package io.github.apigatewayotel.testing.aws.cloudwatch;

import io.github.apigatewayotel.testing.aws.AwsFaultResponses;
import io.github.apigatewayotel.testing.aws.AwsRequest;
import io.github.apigatewayotel.testing.aws.AwsResponse;
import io.github.apigatewayotel.testing.aws.CloudWatchSimulator;
import io.github.apigatewayotel.testing.aws.FakeAwsServer;
import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * The demo account's CloudWatch on loopback for the protocol tests, its clock at {@link #NOW}. A
 * ListMetrics call for the metric {@value #THROTTLED_METRIC} is throttled, in whichever protocol it
 * came.
 */
final class SimulatedCloudWatch implements AutoCloseable {

  static final String REGION = "eu-west-1";
  static final Instant NOW = Instant.parse("2026-11-24T10:00:30Z");
  static final String THROTTLED_METRIC = "ThrottleMe";

  /** The demo account and enough generated APIs for several ListMetrics pages. */
  final SimulatedAccount account =
      SimulatedAccount.demo("123456789012", REGION, 42).addGeneratedApis(REGION, 20, 2, 2);

  final CloudWatchSimulator cloudWatch = new CloudWatchSimulator(account);
  final FakeAwsServer aws;

  SimulatedCloudWatch() throws IOException {
    account.setClock(() -> NOW);
    aws = FakeAwsServer.start().register(cloudWatch);
    aws.intercept(SimulatedCloudWatch::throttleMe);
  }

  private static Optional<AwsResponse> throttleMe(AwsRequest request) {
    CloudWatchCodec codec = CloudWatchProtocol.of(request).codec();
    return "ListMetrics".equals(codec.operation(request))
            && THROTTLED_METRIC.equals(codec.listMetrics(request).metricName())
        ? Optional.of(AwsFaultResponses.throttling(request))
        : Optional.empty();
  }

  @Override
  public void close() {
    aws.close();
  }
}
