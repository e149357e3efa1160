package io.github.apigatewayotel.logs.internal;

import java.net.URI;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.metrics.MetricPublisher;
import software.amazon.awssdk.regions.Region;

/**
 * Region, endpoint override and credentials for the AWS clients a public builder creates itself,
 * validated once and applied the same way to every client: the url-connection HTTP client (no
 * Netty, no Apache stack), the region, then the optional endpoint and credentials.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class AwsClientSettings {

  private String region;
  private URI endpointOverride;
  private AwsCredentialsProvider credentialsProvider;
  private MetricPublisher metricPublisher;

  public void setRegion(String region) {
    Objects.requireNonNull(region, "region");
    if (region.isBlank()) {
      throw new IllegalArgumentException("region must not be blank");
    }
    this.region = region;
  }

  public void setEndpointOverride(URI endpoint) {
    this.endpointOverride = Objects.requireNonNull(endpoint, "endpoint");
  }

  public void setCredentialsProvider(AwsCredentialsProvider credentialsProvider) {
    this.credentialsProvider = Objects.requireNonNull(credentialsProvider, "credentialsProvider");
  }

  /** Where the client reports each call and its attempts (the SDK's retries included). */
  public void setMetricPublisher(MetricPublisher metricPublisher) {
    this.metricPublisher = Objects.requireNonNull(metricPublisher, "metricPublisher");
  }

  /** The region given, or null. */
  public String region() {
    return region;
  }

  /**
   * Configures {@code builder} and builds the client; {@code whatElse} names what a caller could
   * have given instead of a region, for the error message.
   */
  public <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C build(
      B builder, String whatElse) {
    if (region == null) {
      throw new IllegalArgumentException("region is required when no " + whatElse + " given");
    }
    builder.region(Region.of(region)).httpClientBuilder(UrlConnectionHttpClient.builder());
    if (endpointOverride != null) {
      builder.endpointOverride(endpointOverride);
    }
    if (credentialsProvider != null) {
      builder.credentialsProvider(credentialsProvider);
    }
    if (metricPublisher != null) {
      MetricPublisher publisher = metricPublisher;
      builder.overrideConfiguration(override -> override.addMetricPublisher(publisher));
    }
    return builder.build();
  }
}
