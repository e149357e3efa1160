package io.github.apigatewayotel.logs.internal;

import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;

/**
 * The ARN partition of a region ({@code aws}, {@code aws-cn}, {@code aws-us-gov}, ...), from the
 * AWS SDK's region metadata. Its own class so that only the paths that build ARNs load the SDK: the
 * Lambda forwarder's package leaves the SDK out and never names a stage.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class AwsPartition {

  private AwsPartition() {}

  public static String of(String region) {
    return PartitionMetadata.of(Region.of(region)).id();
  }
}
