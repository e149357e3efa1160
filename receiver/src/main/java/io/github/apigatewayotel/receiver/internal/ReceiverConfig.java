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
    int maxPendingPoints) {}
