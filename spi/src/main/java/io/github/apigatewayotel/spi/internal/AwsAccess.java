package io.github.apigatewayotel.spi.internal;

import java.util.List;
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
 * The AWS side of the configuration: which regions, and which credentials (the SDK's default chain,
 * or a role assumed from it for cross-account access). Only called on plugin threads: the default
 * chains may read files or ask the instance metadata service.
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

  /** Where {@link #regions} came from, for the start-up log. */
  static String regionsOrigin(ApiGatewayConfig config) {
    return config.regions().isEmpty()
        ? "the AWS SDK's region chain (AWS_REGION, the profile)"
        : ApiGatewayConfig.REGIONS;
  }

  /**
   * Whose access logs are read, as role ARNs (null for the credentials' own account): the own
   * account without roles; each role's account with roles; and with linked accounts the monitoring
   * account (the own) and each source account's role, since CloudWatch Logs groups are read in
   * their own account.
   */
  static List<String> logAccesses(ApiGatewayConfig config) {
    List<String> accesses = new java.util.ArrayList<>();
    if (config.roleArns().isEmpty() || config.linkedAccounts()) {
      accesses.add(null);
    }
    accesses.addAll(config.roleArns());
    return accesses;
  }

  /** The account of a role ARN ({@code arn:aws:iam::123456789012:role/name}). */
  static String accountOfRole(String roleArn) {
    int start = roleArn.indexOf(":iam::") + ":iam::".length();
    return roleArn.substring(start, roleArn.indexOf(':', start));
  }

  /**
   * Credentials for calls in {@code region}: the default chain's, or {@code roleArn} assumed from
   * them.
   */
  static AwsCredentialsProvider credentials(
      ApiGatewayConfig config, String region, String roleArn) {
    if (roleArn == null) {
      return DefaultCredentialsProvider.builder().build();
    }
    StsClientBuilder sts =
        StsClient.builder()
            .region(Region.of(region))
            .httpClientBuilder(UrlConnectionHttpClient.builder());
    config.awsEndpoint().ifPresent(sts::endpointOverride);
    AssumeRoleRequest.Builder request =
        AssumeRoleRequest.builder().roleArn(roleArn).roleSessionName(ROLE_SESSION_NAME);
    config.roleExternalId().ifPresent(request::externalId);
    return StsAssumeRoleCredentialsProvider.builder()
        .stsClient(sts.build())
        .refreshRequest(request.build())
        .build();
  }
}
