package io.github.apigatewayotel.spi.internal;

import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;

/**
 * The AWS side of the configuration: which regions, and which credentials (the SDK's default
 * chain, or a role assumed from it for cross-account access). Only called on plugin threads: the
 * default chains may read files or ask the instance metadata service.
 */
final class AwsAccess {

  /** Names the sessions of the assumed role in the target account's CloudTrail. */
  static final String ROLE_SESSION_NAME = "apigateway-otel";

  private AwsAccess() {}

  /** The configured regions, else the one the AWS SDK's default chain finds. */
  static List<String> regions(ApiGatewayConfig config) {
    if (!config.regions().isEmpty()) {
      return config.regions();
    }
    try {
      return List.of(new DefaultAwsRegionProviderChain().getRegion().id());
    } catch (SdkClientException e) {
      // The SDK's message lists every provider it tried; the user needs the one fix.
      throw new IllegalStateException(
          "no AWS region: set " + ApiGatewayConfig.REGIONS + " (or AWS_REGION)", e);
    }
  }

  /** Credentials for calls in {@code region}: assumed-role ones when a role ARN is configured. */
  static AwsCredentialsProvider credentials(ApiGatewayConfig config, String region) {
    Optional<String> roleArn = config.roleArn();
    if (roleArn.isEmpty()) {
      return DefaultCredentialsProvider.builder().build();
    }
    StsClientBuilder sts =
        StsClient.builder()
            .region(Region.of(region))
            .httpClientBuilder(UrlConnectionHttpClient.builder());
    config.awsEndpoint().ifPresent(sts::endpointOverride);
    AssumeRoleRequest.Builder request =
        AssumeRoleRequest.builder().roleArn(roleArn.get()).roleSessionName(ROLE_SESSION_NAME);
    config.roleExternalId().ifPresent(request::externalId);
    return StsAssumeRoleCredentialsProvider.builder()
        .stsClient(sts.build())
        .refreshRequest(request.build())
        .build();
  }
}
