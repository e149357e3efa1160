package io.github.apigatewayotel.testing.aws.cloudwatch;

/** A message CloudWatch attaches to a GetMetricData answer or to one of its results. */
public record MessageData(String code, String value) {}
