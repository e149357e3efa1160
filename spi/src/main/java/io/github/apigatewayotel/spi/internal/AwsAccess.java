package io.github.apigatewayotel.spi.internal;

import io.github.apigatewayotel.logs.internal.AwsProblem;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
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

  private static final Logger LOGGER = Logger.getLogger(AwsAccess.class.getName());

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

  /** Where {@link #regions} came from, for the start-up log. */
  static String regionsOrigin(ApiGatewayConfig config) {
    return config.regions().isEmpty()
        ? "the AWS SDK's region chain (AWS_REGION, the profile)"
        : ApiGatewayConfig.REGIONS;
  }

  /**
   * The account whose log groups are read, for {@code cloud.account.id}: the configured one, else
   * what STS GetCallerIdentity says for {@code credentials} (the role's account when one is
   * assumed), as the receiver does for metrics. Empty, logged once, when STS cannot say.
   */
  static Optional<String> accountId(
      ApiGatewayConfig config, String region, AwsCredentialsProvider credentials) {
    if (config.accountId().isPresent()) {
      return config.accountId();
    }
    StsClientBuilder sts =
        StsClient.builder()
            .region(Region.of(region))
            .credentialsProvider(credentials)
            .httpClientBuilder(UrlConnectionHttpClient.builder());
    config.awsEndpoint().ifPresent(sts::endpointOverride);
    try (StsClient client = sts.build()) {
      return Optional.of(client.getCallerIdentity().account());
    } catch (SdkException e) {
      AwsProblem problem =
          AwsProblem.of(e, config.roleArn().isPresent() ? "sts:AssumeRole" : "sts:GetCallerIdentity");
      boolean awsUnusable =
          problem.kind() == AwsProblem.Kind.NETWORK
              || problem.kind() == AwsProblem.Kind.NO_CREDENTIALS
              || problem.kind() == AwsProblem.Kind.EXPIRED_CREDENTIALS
              || problem.kind() == AwsProblem.Kind.INVALID_CREDENTIALS;
      LOGGER.warning(
          "apigateway-otel: sts:GetCallerIdentity (the account id of access-log records) failed in "
              + region
              + ": "
              + problem.describe()
              // An account id is no fix when AWS cannot be used at all: the logs are not read either.
              + (awsUnusable
                  ? ""
                  : ". Records carry no cloud.account.id unless "
                      + ApiGatewayConfig.AWS_ACCOUNT_ID
                      + " names it"));
      return Optional.empty();
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
