package io.github.apigatewayotel.receiver.internal;

import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/** The validated settings of a receiver, as its public builder collected them. */
public record ReceiverConfig(
    List<String> regions,
    URI endpointOverride,
    AwsCredentialsProvider credentials,
    String roleArn,
    String externalId,
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
    boolean leanGetMetricData,
    int maxPendingPoints,
    int maxExportPoints) {}
