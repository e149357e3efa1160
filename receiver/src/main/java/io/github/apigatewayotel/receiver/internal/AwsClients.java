package io.github.apigatewayotel.receiver.internal;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * Builds and owns the AWS clients: one shared url-connection HTTP client (no Netty, no Apache), one
 * endpoint override for every service, SDK retries off ({@link AwsCallRetrier} retries), and
 * optional sts:AssumeRole credentials for cross-account monitoring. Clients are built lazily, on
 * the receiver's own thread, never on the host's.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class AwsClients implements AutoCloseable {

  private static final Logger logger = Logger.getLogger(AwsClients.class.getName());

  private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(30);
  private static final String ROLE_SESSION_NAME = "apigateway-otel-receiver";

  /**
   * Per-region clients.
   *
   * @param getMetricData GetMetricData through the CloudWatch client, page by page
   */
  public record RegionClients(
      CloudWatchClient cloudWatch,
      ApiGatewayClient apiGateway,
      ApiGatewayV2Client apiGatewayV2,
      ResourceGroupsTaggingApiClient tagging,
      MetricDataFetcher getMetricData) {}

  private final URI endpointOverride;
  private final AwsCredentialsProvider baseCredentials;
  private final String roleArn;
  private final String externalId;
  private final String stsRegion;
  private final boolean accountIdPerQuery;
  private final SdkHttpClient httpClient = UrlConnectionHttpClient.builder().build();
  private final Map<String, RegionClients> regions = new ConcurrentHashMap<>();
  private volatile StsClient sts;
  private volatile StsClient assumedSts;
  private volatile AwsCredentialsProvider credentials;

  public AwsClients(
      URI endpointOverride,
      AwsCredentialsProvider baseCredentials,
      String roleArn,
      String externalId,
      String stsRegion) {
    this(endpointOverride, baseCredentials, roleArn, externalId, stsRegion, false);
  }

  /**
   * @param accountIdPerQuery whether GetMetricData queries name their series' account: the clients
   *     of a CloudWatch monitoring account reading its linked source accounts
   */
  public AwsClients(
      URI endpointOverride,
      AwsCredentialsProvider baseCredentials,
      String roleArn,
      String externalId,
      String stsRegion,
      boolean accountIdPerQuery) {
    this.accountIdPerQuery = accountIdPerQuery;
    this.endpointOverride = endpointOverride;
    this.baseCredentials = baseCredentials;
    this.roleArn = roleArn;
    this.externalId = externalId;
    this.stsRegion = stsRegion;
  }

  public synchronized StsClient sts() {
    if (sts == null) {
      sts = configure(StsClient.builder(), stsRegion, baseCredentials, true).build();
    }
    return sts;
  }

  /** The credentials every client signs with: the base ones, or the assumed role's. */
  public synchronized AwsCredentialsProvider credentials() {
    if (credentials == null) {
      credentials =
          roleArn == null
              ? baseCredentials
              : StsAssumeRoleCredentialsProvider.builder()
                  .stsClient(sts())
                  .refreshRequest(
                      r ->
                          r.roleArn(roleArn)
                              .roleSessionName(ROLE_SESSION_NAME)
                              .externalId(externalId))
                  .asyncCredentialUpdateEnabled(false)
                  .build();
    }
    return credentials;
  }

  /**
   * A client for STS calls made with the (possibly assumed) credentials, e.g. GetCallerIdentity.
   */
  public synchronized StsClient stsWithEffectiveCredentials() {
    if (roleArn == null) {
      return sts();
    }
    if (assumedSts == null) {
      assumedSts = configure(StsClient.builder(), stsRegion, credentials(), true).build();
    }
    return assumedSts;
  }

  public RegionClients region(String region) {
    return regions.computeIfAbsent(
        region,
        r -> {
          AwsCredentialsProvider creds = credentials();
          CloudWatchClient cloudWatch =
              configure(CloudWatchClient.builder(), r, creds, false).build();
          return new RegionClients(
              cloudWatch,
              configure(ApiGatewayClient.builder(), r, creds, false).build(),
              configure(ApiGatewayV2Client.builder(), r, creds, false).build(),
              configure(ResourceGroupsTaggingApiClient.builder(), r, creds, false).build(),
              new SdkMetricDataFetcher(cloudWatch, accountIdPerQuery));
        });
  }

  private <
          B extends
              AwsClientBuilder<B, ?>
                  & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, ?>>
      B configure(B builder, String region, AwsCredentialsProvider creds, boolean sdkRetries) {
    builder.region(Region.of(region)).credentialsProvider(creds).httpClient(httpClient);
    if (endpointOverride != null) {
      builder.endpointOverride(endpointOverride);
    }
    ClientOverrideConfiguration.Builder override =
        ClientOverrideConfiguration.builder().apiCallAttemptTimeout(ATTEMPT_TIMEOUT);
    if (!sdkRetries) {
      override.retryStrategy(AwsRetryStrategy.doNotRetry());
    }
    builder.overrideConfiguration(override.build());
    return builder;
  }

  @Override
  public void close() {
    for (RegionClients clients : regions.values()) {
      clients.cloudWatch().close();
      clients.apiGateway().close();
      clients.apiGatewayV2().close();
      clients.tagging().close();
    }
    regions.clear();
    if (credentials instanceof AutoCloseable closeable && credentials != baseCredentials) {
      try {
        closeable.close();
      } catch (Exception e) {
        logger.fine("closing assumed-role credentials: " + e);
      }
    }
    if (assumedSts != null) {
      assumedSts.close();
    }
    if (sts != null) {
      sts.close();
    }
    httpClient.close();
  }
}
