package io.github.apigatewayotel.spi.internal;

import static io.github.apigatewayotel.spi.internal.ApiGatewayConfig.LOGS_CLIENT_ADDRESS;
import static io.github.apigatewayotel.spi.internal.ApiGatewayConfig.LOGS_CLIENT_ADDRESS_KEY;
import static io.github.apigatewayotel.spi.internal.ApiGatewayConfig.LOGS_FORMAT;
import static io.github.apigatewayotel.spi.internal.ApiGatewayConfig.LOGS_SOURCE;
import static io.github.apigatewayotel.spi.internal.StrictProperties.invalid;
import static io.github.apigatewayotel.spi.internal.StrictProperties.require;
import static io.github.apigatewayotel.spi.internal.StrictProperties.spelling;

import io.github.apigatewayotel.logs.AccessLogBridge;
import io.github.apigatewayotel.logs.AccessLogFormat;
import io.github.apigatewayotel.logs.ClientAddressPolicy;
import io.github.apigatewayotel.logs.ContextVariables;
import io.github.apigatewayotel.logs.internal.NearestName;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The access-log bridge's properties ({@code otel.apigateway.logs.format}, {@code
 * logs.client.address[.key]}), read strictly at start-up and applied straight onto {@link
 * AccessLogBridge.Builder}: a key not set leaves the bridge's default (the seed's JSON format,
 * addresses kept). The Lambda forwarder reads the client-address policy through {@link
 * #clientAddressPolicy(String, String, String, String)} under its environment's names.
 */
public final class AccessLogBridgeProperties {

  /** {@link ApiGatewayConfig#LOGS_FORMAT} value: each stage's own format, read from API Gateway. */
  static final String AUTO_FORMAT = "auto";

  private final List<Consumer<AccessLogBridge.Builder>> settings = new ArrayList<>();
  private final boolean formatAuto;

  /** The format set, when one is; null for the bridge's default or with {@link #formatAuto}. */
  private final AccessLogFormat format;

  private AccessLogBridgeProperties(ConfigProperties config, List<AccessLogLocation> sources) {
    String value = config.getString(LOGS_FORMAT);
    formatAuto = value != null && value.strip().equalsIgnoreCase(AUTO_FORMAT);
    if (formatAuto) {
      for (AccessLogLocation source : sources) {
        require(
            source instanceof AccessLogLocation.CloudWatchLogs,
            LOGS_FORMAT,
            value,
            "a format or format name when "
                + LOGS_SOURCE
                + " reads a file ('auto' reads each stage's format and log group from API Gateway,"
                + " which says nothing about files)");
      }
      format = null;
    } else if (value != null && !value.isBlank()) {
      format = parseFormat(value);
      settings.add(builder -> builder.setFormat(format));
    } else {
      format = null;
    }
    String modeKey = spelling(config, LOGS_CLIENT_ADDRESS);
    String keyKey = spelling(config, LOGS_CLIENT_ADDRESS_KEY);
    String mode = config.getString(modeKey);
    ClientAddressPolicy policy =
        clientAddressPolicy(modeKey, mode, keyKey, config.getString(keyKey));
    if (mode != null && !mode.isBlank()) {
      settings.add(builder -> builder.setClientAddressPolicy(policy));
    }
  }

  /**
   * Reads the bridge's properties; {@code sources} because {@code auto} reads CloudWatch Logs only.
   * A bad value fails with a {@code ConfigurationException} naming the key.
   */
  static AccessLogBridgeProperties read(ConfigProperties config, List<AccessLogLocation> sources) {
    return new AccessLogBridgeProperties(config, sources);
  }

  /** Sets each property the user set onto {@code builder}; the others keep its defaults. */
  void applyTo(AccessLogBridge.Builder builder) {
    settings.forEach(setting -> setting.accept(builder));
  }

  /**
   * Whether each stage's own format is read from API Gateway ({@code logs.format=auto}); groups
   * whose stage format is unknown or does not compile use the bridge's default format.
   */
  boolean formatAuto() {
    return formatAuto;
  }

  /**
   * The client-address policy of {@link ApiGatewayConfig#LOGS_CLIENT_ADDRESS} and {@link
   * ApiGatewayConfig#LOGS_CLIENT_ADDRESS_KEY} (or their deprecated underscore spellings, with a
   * warning).
   */
  public static ClientAddressPolicy clientAddressPolicy(ConfigProperties config) {
    String modeKey = spelling(config, LOGS_CLIENT_ADDRESS);
    String keyKey = spelling(config, LOGS_CLIENT_ADDRESS_KEY);
    return clientAddressPolicy(
        modeKey, config.getString(modeKey), keyKey, config.getString(keyKey));
  }

  /**
   * The client-address policy from a mode ({@code keep}, {@code truncate}, {@code hash}) and, for
   * {@code hash}, a key (its UTF-8 bytes). Shared with the Lambda forwarder, which reads the same
   * settings from its environment under other names; the key's value never appears in a message.
   */
  public static ClientAddressPolicy clientAddressPolicy(
      String modeKey, String mode, String keyKey, String key) {
    String value = mode == null ? "" : mode.strip().toLowerCase(Locale.ROOT);
    switch (value) {
      case "", "keep":
        return ClientAddressPolicy.keep();
      case "truncate":
        return ClientAddressPolicy.truncate();
      case "hash":
        if (key == null || key.isBlank()) {
          throw new ConfigurationException(
              "Missing property "
                  + keyKey
                  + ": "
                  + modeKey
                  + "=hash needs a secret key (an unkeyed hash of an IPv4 address is reversed by"
                  + " hashing all 2^32 addresses)");
        }
        return ClientAddressPolicy.hash(key.getBytes(StandardCharsets.UTF_8));
      default:
        throw invalid(modeKey, mode, "one of [keep, truncate, hash]");
    }
  }

  /** A typo in a format string gives records without the attribute the user wanted: say so. */
  void warnOfUndocumentedFormatVariables() {
    if (format == null) {
      return; // the bridge's default, or each stage's own
    }
    List<ContextVariables.Undocumented> undocumented = ContextVariables.undocumentedIn(format);
    if (!undocumented.isEmpty()) {
      Logger.getLogger(ApiGatewayConfig.class.getName())
          .warning(
              "apigateway-otel: "
                  + LOGS_FORMAT
                  + " uses $context variables API Gateway does not document: "
                  + undocumented.stream()
                      .map(ContextVariables.Undocumented::describe)
                      .collect(Collectors.joining(", "))
                  + ". Check their spelling: each becomes an aws.apigateway.context.* attribute"
                  + " and none of the attributes the documented name maps to");
    }
  }

  private static AccessLogFormat parseFormat(String value) {
    if (!value.contains("$context.")
        && AccessLogFormat.names().stream().noneMatch(value.strip()::equalsIgnoreCase)) {
      // No variable at all: a format name, misspelled ("jsn").
      List<String> names = new ArrayList<>(AccessLogFormat.names());
      names.add(AUTO_FORMAT);
      throw invalid(
          LOGS_FORMAT,
          value,
          "one of "
              + names
              + NearestName.of(value.strip(), names)
                  .map(name -> " (did you mean " + name + "?)")
                  .orElse("")
              + ", or a format string with $context variables as typed into API Gateway's"
              + " \"Log format\" box");
    }
    return StrictProperties.parse(LOGS_FORMAT, value, AccessLogFormat::of);
  }
}
