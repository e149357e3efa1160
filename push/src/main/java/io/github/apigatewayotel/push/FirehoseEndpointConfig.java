package io.github.apigatewayotel.push;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Applies the {@code otel.apigateway.firehose.*} properties straight onto a {@link
 * FirehoseEndpoint.Builder} (in the style of opentelemetry-java-contrib's {@code
 * InferredSpansConfig}): each key documented once, in docs/firehose.md; a bad value is a {@link
 * ConfigurationException} naming the key (and the value, unless it is a secret).
 */
public final class FirehoseEndpointConfig {

  public static final String LISTEN = "otel.apigateway.firehose.listen";
  public static final String ACCESS_KEY = "otel.apigateway.firehose.access.key";
  public static final String METRICS_ENABLED = "otel.apigateway.firehose.metrics.enabled";
  public static final String LOGS_ENABLED = "otel.apigateway.firehose.logs.enabled";
  public static final String DISCOVERY = "otel.apigateway.firehose.discovery";
  public static final String MAX_BODY_BYTES = "otel.apigateway.firehose.max.body.bytes";
  public static final String EXPORT_TIMEOUT = "otel.apigateway.firehose.export.timeout";
  public static final String REQUEST_TIMEOUT = "otel.apigateway.firehose.request.timeout";
  public static final String THREADS = "otel.apigateway.firehose.threads";
  public static final String RECENT_REQUEST_IDS = "otel.apigateway.firehose.recent.request.ids";
  public static final String TLS_KEYSTORE = "otel.apigateway.firehose.tls.keystore";
  public static final String TLS_KEYSTORE_PASSWORD =
      "otel.apigateway.firehose.tls.keystore.password";
  public static final String TLS_KEYSTORE_TYPE = "otel.apigateway.firehose.tls.keystore.type";

  private FirehoseEndpointConfig() {}

  /** Whether {@link #LISTEN} turns the endpoint on (it is off by default). */
  public static boolean enabled(ConfigProperties config) {
    String listen = config.getString(LISTEN);
    return listen != null && !listen.isBlank();
  }

  /** Applies every property that is set onto {@code builder}; returns it. */
  public static FirehoseEndpoint.Builder apply(
      ConfigProperties config, FirehoseEndpoint.Builder builder) {
    builder.setAddress(listen(config.getString(LISTEN)));
    builder.setAccessKey(config.getString(ACCESS_KEY));
    Long maxBody = config.getLong(MAX_BODY_BYTES);
    if (maxBody != null) {
      valid(MAX_BODY_BYTES, maxBody, () -> builder.setMaxBodyBytes(maxBody));
    }
    Duration export = config.getDuration(EXPORT_TIMEOUT);
    if (export != null) {
      valid(EXPORT_TIMEOUT, export, () -> builder.setExportTimeout(export));
    }
    Duration request = config.getDuration(REQUEST_TIMEOUT);
    if (request != null) {
      valid(REQUEST_TIMEOUT, request, () -> builder.setRequestTimeout(request));
    }
    Integer threads = config.getInt(THREADS);
    if (threads != null) {
      valid(THREADS, threads, () -> builder.setThreads(threads));
    }
    Integer recent = config.getInt(RECENT_REQUEST_IDS);
    if (recent != null) {
      valid(RECENT_REQUEST_IDS, recent, () -> builder.setRecentRequestIds(recent));
    }
    String keystore = config.getString(TLS_KEYSTORE);
    if (keystore != null && !keystore.isBlank()) {
      builder.setSslContext(
          sslContext(
              Path.of(keystore),
              config.getString(TLS_KEYSTORE_PASSWORD, ""),
              config.getString(TLS_KEYSTORE_TYPE, "PKCS12")));
    }
    return builder;
  }

  /**
   * Applies one setting; the builder's refusal becomes a {@link ConfigurationException} naming the
   * key and value.
   */
  private static void valid(String key, Object value, Runnable apply) {
    try {
      apply.run();
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(
          "Invalid value for " + key + ": " + e.getMessage() + " (value: " + value + ")", e);
    }
  }

  static InetSocketAddress listen(String value) {
    String v = value == null ? "" : value.trim();
    int colon = v.lastIndexOf(':');
    if (colon < 0) {
      throw new ConfigurationException(
          "Invalid value for "
              + LISTEN
              + ": expected HOST:PORT such as 0.0.0.0:8443 (value: "
              + value
              + ")");
    }
    String host = v.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(v.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0 || port > 65535) {
      throw new ConfigurationException(
          "Invalid value for " + LISTEN + ": the port must be 0 to 65535 (value: " + value + ")");
    }
    return new InetSocketAddress(host.isEmpty() ? "0.0.0.0" : host, port);
  }

  private static SSLContext sslContext(Path keystore, String password, String type) {
    try (InputStream in = Files.newInputStream(keystore)) {
      KeyStore store = KeyStore.getInstance(type);
      store.load(in, password.toCharArray());
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, password.toCharArray());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (Exception e) {
      // the password is a secret: named, never shown
      throw new ConfigurationException(
          "Invalid value for "
              + TLS_KEYSTORE
              + ": cannot load the "
              + type
              + " keystore "
              + keystore
              + " with "
              + TLS_KEYSTORE_PASSWORD
              + " ("
              + e.getMessage()
              + ")",
          e);
    }
  }
}
