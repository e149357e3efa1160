package io.github.apigatewayotel.testing.aws;

/** Answers the requests of one AWS service, chosen by its SigV4 signing name. */
public interface AwsServiceHandler {

  /**
   * The signing name this handler serves: {@code monitoring}, {@code logs}, {@code apigateway}...
   */
  String signingName();

  AwsResponse handle(AwsRequest request);
}
