package io.github.apigatewayotel.spi.internal;

import io.github.apigatewayotel.state.fleet.Fleet;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * {@value #COORDINATION} and {@value #ENDPOINT}: fleet mode (issue 18). No AWS SDK class is loaded
 * until a fleet is opened ({@link FleetOpener}): the Lambda forwarder's jar has none of DynamoDB's,
 * and reads this configuration too. {@code none} (the default) leaves every replica working alone;
 * {@code dynamodb:TABLE} applies onto a {@link FleetBuilder} a DynamoDB client (the first
 * configured region, the plugin's own credentials, the endpoint override, else the SDK's {@code
 * AWS_ENDPOINT_URL_DYNAMODB}) and the table. The one fleet is opened on the plugin's thread when
 * the first source needs it, and closed after every source.
 */
final class FleetCoordination implements AutoCloseable {

  static final String COORDINATION = "otel.apigateway.coordination";
  static final String ENDPOINT = "otel.apigateway.coordination.endpoint";

  /** DynamoDB table names: 3 to 255 of these characters. */
  private static final Pattern TABLE = Pattern.compile("[A-Za-z0-9_.-]{3,255}");

  private static final Logger logger = Logger.getLogger(FleetCoordination.class.getName());

  private final String table;
  private final URI endpoint;
  private Fleet fleet;

  private FleetCoordination(String table, URI endpoint) {
    this.table = table;
    this.endpoint = endpoint;
  }

  /**
   * Reads both properties; a bad value is a {@link ConfigurationException} naming the key, value
   * and fix.
   */
  static FleetCoordination read(ConfigProperties config) {
    String value =
        Optional.ofNullable(config.getString(COORDINATION)).map(String::trim).orElse("none");
    String endpointValue = config.getString(ENDPOINT);
    URI endpoint = null;
    if (endpointValue != null && !endpointValue.isBlank()) {
      try {
        endpoint = new URI(endpointValue.trim());
      } catch (URISyntaxException e) {
        endpoint = null;
      }
      StrictProperties.require(
          endpoint != null && endpoint.getScheme() != null && endpoint.getHost() != null,
          ENDPOINT,
          endpointValue,
          "a URL such as http://127.0.0.1:8000");
    }
    if (value.isEmpty() || value.equals("none")) {
      StrictProperties.require(
          endpoint == null,
          ENDPOINT,
          endpointValue,
          "no value while " + COORDINATION + " is none (set " + COORDINATION + "=dynamodb:TABLE)");
      return new FleetCoordination(null, null);
    }
    String table = value.startsWith("dynamodb:") ? value.substring("dynamodb:".length()) : null;
    StrictProperties.require(
        table != null && TABLE.matcher(table).matches(),
        COORDINATION,
        value,
        "none, or dynamodb:TABLE with a DynamoDB table name (3 to 255 letters, digits, _ . -)");
    return new FleetCoordination(table, endpoint);
  }

  boolean enabled() {
    return table != null;
  }

  /** The fleet, opened and started on first use; empty with {@code none}. */
  synchronized Optional<Fleet> fleet(ApiGatewayConfig config) {
    if (table == null) {
      return Optional.empty();
    }
    if (fleet == null) {
      fleet = FleetOpener.open(config, table, endpoint);
      logger.info(
          "apigateway-otel: fleet mode: units of work shared through the DynamoDB table "
              + table
              + " as "
              + fleet.owner()
              + " ("
              + COORDINATION
              + ")");
    }
    return Optional.of(fleet);
  }

  @Override
  public synchronized void close() {
    if (fleet != null) {
      fleet.close();
      fleet = null;
    }
  }
}
