/**
 * CloudWatch's wire protocols for the simulated account. Each protocol real CloudWatch accepts
 * (awsQuery, AWS JSON 1.0, Smithy RPC v2 CBOR) is decoded into one protocol-neutral request model
 * ({@link io.github.apigatewayotel.testing.aws.cloudwatch.ListMetricsRequest}, {@link
 * io.github.apigatewayotel.testing.aws.cloudwatch.GetMetricDataRequest}) and answered from one
 * neutral response ({@link io.github.apigatewayotel.testing.aws.cloudwatch.ListMetricsResult},
 * {@link io.github.apigatewayotel.testing.aws.cloudwatch.GetMetricDataResult}, {@link
 * io.github.apigatewayotel.testing.aws.cloudwatch.CloudWatchError}), so CloudWatch's semantics
 * ({@link io.github.apigatewayotel.testing.aws.CloudWatchSimulator}) exist once. A field CloudWatch
 * adds is one record component here and one line per codec.
 */
package io.github.apigatewayotel.testing.aws.cloudwatch;
