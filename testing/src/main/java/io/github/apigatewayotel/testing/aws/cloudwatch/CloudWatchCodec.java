package io.github.apigatewayotel.testing.aws.cloudwatch;

import io.github.apigatewayotel.testing.aws.AwsRequest;
import io.github.apigatewayotel.testing.aws.AwsResponse;

/**
 * One of CloudWatch's wire protocols: decodes a request into the neutral model and encodes the
 * neutral answer. Decoding throws {@link CloudWatchError} for what the protocol cannot read.
 */
public interface CloudWatchCodec {

  /** The operation the request calls ({@code ListMetrics}, {@code GetMetricData}...). */
  String operation(AwsRequest request);

  ListMetricsRequest listMetrics(AwsRequest request);

  GetMetricDataRequest getMetricData(AwsRequest request);

  /** The NextToken the request carries, or null (whatever its operation). */
  String nextToken(AwsRequest request);

  AwsResponse encode(ListMetricsResult result);

  AwsResponse encode(GetMetricDataResult result);

  AwsResponse encode(CloudWatchError error);
}
