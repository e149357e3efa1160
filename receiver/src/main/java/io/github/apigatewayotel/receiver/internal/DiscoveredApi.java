package io.github.apigatewayotel.receiver.internal;

import java.util.Map;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;

/**
 * An API found by discovery.
 *
 * @param cloudWatchName how CloudWatch names it in the {@code ApiName} dimension (REST only): the
 *     name without non-ASCII characters, or the id when nothing is left
 * @param tags the API's own tags
 *     <p>This class is internal and is hence not for public use. Its APIs are unstable and can
 *     change at any time.
 */
public record DiscoveredApi(
    String region,
    ApiType type,
    String id,
    String name,
    String cloudWatchName,
    Map<String, String> tags) {

  public DiscoveredApi {
    tags = Map.copyOf(tags);
  }

  /**
   * The API's ARN, in its region's partition ({@code aws-cn} in China, {@code aws-us-gov} in
   * GovCloud: tag:GetResources keys stage tags by these); stage ARNs append {@code
   * /stages/{stage}}.
   */
  public String arn() {
    return "arn:"
        + PartitionMetadata.of(Region.of(region)).id()
        + ":apigateway:"
        + region
        + "::"
        + (type == ApiType.REST ? "/restapis/" : "/apis/")
        + id;
  }

  public String stageArn(String stage) {
    return arn() + "/stages/" + stage;
  }

  /** CloudWatch's name for a REST API: non-ASCII characters dropped, the id if nothing remains. */
  public static String cloudWatchName(String name, String id) {
    StringBuilder ascii = new StringBuilder(name.length());
    name.chars().filter(c -> c < 128).forEach(c -> ascii.append((char) c));
    return ascii.length() == 0 ? id : ascii.toString();
  }
}
