package io.github.apigatewayotel.spi.internal;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Strict reads of the plugin's properties, shared by everything that parses them: a value that does
 * not parse fails start-up with a {@link ConfigurationException} naming the key as the user spelled
 * it and the value in the user's own units, never the value of a secret ({@link #isSecretKey}).
 * {@code ConfigProperties}' own getters read anything but {@code true} as false and say nothing of
 * the key; these do not.
 */
final class StrictProperties {

  private static final Logger logger = Logger.getLogger(StrictProperties.class.getName());

  /**
   * Keys renamed without their underscores (autoconfigure reads {@code OTEL_..._MAX_PENDING_POINTS}
   * as {@code ...max.pending.points}, so an underscore key could not come from the environment):
   * each new key and the spelling it replaces, still read with a deprecation warning.
   */
  static final Map<String, String> RENAMED =
      Map.of(
          ApiGatewayConfig.METRICS_MAX_PENDING_POINTS, "otel.apigateway.metrics.max_pending_points",
          ApiGatewayConfig.LOGS_CLIENT_ADDRESS, "otel.apigateway.logs.client_address",
          ApiGatewayConfig.LOGS_CLIENT_ADDRESS_KEY, "otel.apigateway.logs.client_address.key",
          ApiGatewayConfig.AWS_ROLE_EXTERNAL_ID, "otel.apigateway.aws.role.external_id");

  /**
   * The keys whose values are secrets, as {@link #isSecretKey} compares them (lower case, {@code _}
   * and {@code -} as dots, so the deprecated spellings too); the OTLP exporters' {@code
   * otel.exporter.otlp[.signal].headers} as well.
   */
  private static final Set<String> SECRET_KEYS =
      Set.of(
          secretForm(ApiGatewayConfig.AWS_ROLE_EXTERNAL_ID),
          secretForm(ApiGatewayConfig.LOGS_CLIENT_ADDRESS_KEY),
          // The Firehose endpoint's (push module, read there): redacted here from command lines.
          secretForm("otel.apigateway.firehose.access.key"),
          secretForm("otel.apigateway.firehose.tls.keystore.password"));

  private StrictProperties() {}

  /**
   * The spelling of {@code key} to read: {@code key}, or the deprecated spelling it replaces when
   * only that is set (warned about once per read of the configuration, naming the new key). Both
   * spellings are read, so both are known keys ({@link PropertyKeysRead}).
   */
  static String spelling(ConfigProperties config, String key) {
    String old = RENAMED.get(key);
    if (old == null) {
      return key;
    }
    boolean oldSet = isSet(config.getString(old));
    if (!oldSet) {
      return key;
    }
    if (isSet(config.getString(key))) {
      logger.warning(
          "apigateway-otel: "
              + old
              + " is deprecated and ignored: "
              + key
              + " is set too. Remove "
              + old
              + ".");
      return key;
    }
    logger.warning("apigateway-otel: " + old + " is deprecated: rename it " + key + ".");
    return old;
  }

  private static boolean isSet(String value) {
    return value != null && !value.isBlank();
  }

  /**
   * {@code ConfigProperties.getBoolean} reads anything but "true" as false; a typo must not disable
   * a source.
   */
  static boolean strictBoolean(ConfigProperties config, String key, boolean defaultValue) {
    String value = config.getString(key);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    String trimmed = value.trim();
    if (trimmed.equalsIgnoreCase("true")) {
      return true;
    }
    if (trimmed.equalsIgnoreCase("false")) {
      return false;
    }
    throw invalid(key, value, "true or false");
  }

  static int intInRange(ConfigProperties config, String key, int defaultValue, int min, int max) {
    String value = config.getString(key);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    try {
      int parsed = Integer.parseInt(value.trim());
      require(
          parsed >= min && parsed <= max, key, value, "a whole number from " + min + " to " + max);
      return parsed;
    } catch (NumberFormatException e) {
      throw invalid(key, value, "a whole number from " + min + " to " + max);
    }
  }

  static Duration positive(ConfigProperties config, String key, Duration defaultValue) {
    Duration value = config.getDuration(key, defaultValue);
    require(
        !value.isZero() && !value.isNegative(), key, config.getString(key), "a positive duration");
    return value;
  }

  static Duration nonNegative(ConfigProperties config, String key, Duration defaultValue) {
    Duration value = config.getDuration(key, defaultValue);
    require(!value.isNegative(), key, config.getString(key), "a duration of zero or more");
    return value;
  }

  static Optional<String> optional(ConfigProperties config, String key) {
    String value = config.getString(key);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  static <E extends Enum<E>> E parseEnum(
      ConfigProperties config, String key, Class<E> type, E defaultValue) {
    String value = config.getString(key);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    try {
      return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      List<String> allowed = new ArrayList<>();
      for (E constant : type.getEnumConstants()) {
        allowed.add(constant.name().toLowerCase(Locale.ROOT));
      }
      throw invalid(key, value, "one of " + allowed);
    }
  }

  static Path parsePath(String key, String value) {
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw invalid(key, value, "a file system path");
    }
  }

  /**
   * A directory the plugin may write: a path that is a file, or that the plugin could not create or
   * write, fails start-up instead of every checkpoint failing later. Nothing is created here.
   */
  static Path usableDirectory(String key, String value) {
    Path directory = parsePath(key, value);
    if (Files.exists(directory)) {
      require(Files.isDirectory(directory), key, value, "a directory, not a file");
      require(Files.isWritable(directory), key, value, "a writable directory");
      return directory;
    }
    Path ancestor = directory.toAbsolutePath().getParent();
    while (ancestor != null && !Files.exists(ancestor)) {
      ancestor = ancestor.getParent();
    }
    require(
        ancestor != null && Files.isDirectory(ancestor) && Files.isWritable(ancestor),
        key,
        value,
        "a directory the plugin can create (its nearest existing parent must be a writable directory)");
    return directory;
  }

  /**
   * {@code parser}'s reading of {@code value}; its {@link IllegalArgumentException} (whose message
   * says what is wrong, such as an unknown metric or format variable) becomes a {@link
   * ConfigurationException} naming the key and the value.
   */
  static <T> T parse(String key, String value, Function<String, T> parser) {
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(
          "Invalid value for property " + key + "=" + value + ": " + e.getMessage(), e);
    }
  }

  static void require(boolean condition, String key, String value, String expected) {
    if (!condition) {
      throw invalid(key, value, expected);
    }
  }

  static ConfigurationException invalid(String key, String value, String expected) {
    if (isSecretKey(key)) {
      return new ConfigurationException(
          "Invalid value for property "
              + key
              + " (a secret: its value is not shown): expected "
              + expected);
    }
    return new ConfigurationException(
        "Invalid value for property "
            + key
            + "="
            + withoutUserInfo(value)
            + ": expected "
            + expected);
  }

  /**
   * Whether {@code key} (any spelling: dots, underscores or dashes, any case) holds a secret: the
   * role's external id, the client-address key, an OTLP exporter's headers. Such values never
   * appear in a message, nor in the command line the Java agent exports ({@link
   * CommandLineSecrets}).
   */
  static boolean isSecretKey(String key) {
    String form = secretForm(key);
    return SECRET_KEYS.contains(form)
        || (form.startsWith("otel.exporter.") && form.endsWith(".headers"));
  }

  private static String secretForm(String key) {
    return key.strip().toLowerCase(Locale.ROOT).replace('_', '.').replace('-', '.');
  }

  /** A URL's user information ({@code https://user:password@host}) is a credential too. */
  private static String withoutUserInfo(String value) {
    return value == null ? null : value.replaceAll("//[^/@\\s]*@", "//<redacted>@");
  }
}
