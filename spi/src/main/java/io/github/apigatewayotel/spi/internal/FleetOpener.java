package io.github.apigatewayotel.spi.internal;

import io.github.apigatewayotel.state.fleet.Fleet;
import java.net.URI;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * Opens the fleet {@link FleetCoordination} names: its DynamoDB client (the first configured
 * region, the plugin's own credentials, the endpoint override, else the SDK's {@code
 * AWS_ENDPOINT_URL_DYNAMODB}) applied onto the fleet's builder with the table, and started. A class
 * of its own so that only fleet mode loads the DynamoDB client.
 */
final class FleetOpener {

  private FleetOpener() {}

  static Fleet open(ApiGatewayConfig config, String table, URI endpoint) {
    String region = AwsAccess.regions(config).get(0);
    DynamoDbClientBuilder client =
        DynamoDbClient.builder()
            .region(Region.of(region))
            .credentialsProvider(AwsAccess.credentials(config, region, null))
            .httpClientBuilder(UrlConnectionHttpClient.builder());
    if (endpoint != null) {
      client.endpointOverride(endpoint);
    }
    return Fleet.builder(client.build(), table).setCloseClient(true).build().start();
  }
}
