package io.github.apigatewayotel.receiver.internal;

import java.util.List;

/**
 * One GetMetricData page call: a batch of at most {@link QueryPlan#MAX_QUERIES_PER_CALL} queries
 * (query {@code i} of the batch is sent with id {@code q<i>}), the window and its period, and the
 * NextToken of the previous page (null for the first). {@link SdkMetricDataFetcher} is the one
 * implementation; a test's stand-in throws what the AWS SDK's CloudWatch client throws ({@code
 * CloudWatchException} for AWS errors, {@code SdkClientException} for I/O and unreadable answers),
 * so {@link AwsCallRetrier} classifies it alike.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public interface MetricDataFetcher {

  MetricDataPage page(List<PlannedQuery> batch, CollectionWindow window, String nextToken);
}
