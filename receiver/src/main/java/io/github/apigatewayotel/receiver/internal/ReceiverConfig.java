package io.github.apigatewayotel.receiver.internal;

import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The validated settings of a receiver, as its public builder collected them.
 *
 * @param roleArns roles to assume (one account read through each), empty for the credentials' own
 * @param linkedAccounts whether the credentials' account is a CloudWatch monitoring account read
 *     with its linked source accounts (the roles then only discover source accounts)
 * @param pollSlices how many slices each poll interval is spread over: one slice of the plan is
 *     polled every {@code pollInterval / pollSlices} (1: the whole plan every interval)
 * @param metrics the statistics queried of each metric
 * @param recentlyActiveOnly whether discovery lists only series with data in the past 3 hours
 * @param pricePerThousandMetricRequests GetMetricData's price for the cost estimates, US dollars
 * @param fleet fleet mode (issue 18): regions polled under leases, marks in its table; null alone
 *     <p>This class is internal and is hence not for public use. Its APIs are unstable and can
 *     change at any time.
 */
public record ReceiverConfig(
    List<String> regions,
    URI endpointOverride,
    AwsCredentialsProvider credentials,
    List<String> roleArns,
    String externalId,
    boolean linkedAccounts,
    String accountId,
    Duration period,
    Duration delay,
    Duration lookback,
    Duration pollInterval,
    Duration discoveryInterval,
    ApiFilter filter,
    String tagAttributePrefix,
    AggregationTemporality sumTemporality,
    Path stateDirectory,
    MeterProvider meterProvider,
    Clock clock,
    int maxAttempts,
    Duration retryBaseDelay,
    Duration retryMaxDelay,
    AwsCallRetrier.Sleeper sleeper,
    int getMetricDataConcurrency,
    java.util.concurrent.ThreadFactory threadFactory,
    int maxPendingPoints,
    int maxExportPoints,
    int pollSlices,
    MetricCatalog.Selection metrics,
    boolean recentlyActiveOnly,
    double pricePerThousandMetricRequests,
    io.github.apigatewayotel.state.fleet.Fleet fleet) {

  /** Time between two ticks of the poll scheduler: the poll interval over its slices. */
  public Duration pollTick() {
    return pollInterval.dividedBy(pollSlices);
  }
}
