package io.github.apigatewayotel.spi;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * System properties a test sets (the AWS SDK's default credentials chain reads them first) and puts
 * back as they were afterwards, so tests in one JVM do not see each other's.
 */
final class TemporarySystemProperties {

  private final Map<String, String> previous = new LinkedHashMap<>();

  void set(String key, String value) {
    previous.putIfAbsent(key, System.getProperty(key));
    System.setProperty(key, value);
  }

  /** Static test credentials for the simulated AWS account. */
  void setTestCredentials() {
    set("aws.accessKeyId", "AKIDTEST");
    set("aws.secretAccessKey", "secret");
  }

  void restore() {
    previous.forEach(
        (key, value) -> {
          if (value == null) {
            System.clearProperty(key);
          } else {
            System.setProperty(key, value);
          }
        });
    previous.clear();
  }
}
