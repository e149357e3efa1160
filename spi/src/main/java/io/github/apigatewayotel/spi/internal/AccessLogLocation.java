package io.github.apigatewayotel.spi.internal;

import static io.github.apigatewayotel.spi.internal.StrictProperties.invalid;
import static io.github.apigatewayotel.spi.internal.StrictProperties.parsePath;
import static io.github.apigatewayotel.spi.internal.StrictProperties.require;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where access logs are read ({@value ApiGatewayConfig#LOGS_SOURCE}): CloudWatch Logs, or a file
 * with its path. Sealed, so that a switch over the two cannot forget one and a file always has a
 * path.
 */
public sealed interface AccessLogLocation {

  /** {@value #CLOUDWATCH} in {@value ApiGatewayConfig#LOGS_SOURCE}. */
  String CLOUDWATCH = "cloudwatch";

  /** {@code file:PATH} in {@value ApiGatewayConfig#LOGS_SOURCE}. */
  String FILE_PREFIX = "file:";

  /** The log groups CloudWatch Logs holds, in every configured region. */
  record CloudWatchLogs() implements AccessLogLocation {}

  /** One file, followed (or read once to its end); it need not exist yet. */
  record File(Path path) implements AccessLogLocation {
    public File {
      Objects.requireNonNull(path, "path");
    }
  }

  /**
   * The locations {@code values} name, CloudWatch Logs when none; {@code key} names them in
   * messages.
   */
  static List<AccessLogLocation> parse(String key, List<String> values) {
    if (values.isEmpty()) {
      return List.of(new CloudWatchLogs());
    }
    List<AccessLogLocation> locations = new ArrayList<>();
    for (String value : values) {
      if (value.equalsIgnoreCase(CLOUDWATCH)) {
        locations.add(new CloudWatchLogs());
      } else if (value.startsWith(FILE_PREFIX) && value.length() > FILE_PREFIX.length()) {
        Path file = parsePath(key, value.substring(FILE_PREFIX.length()));
        // A file that does not exist yet is followed until it appears; a directory never fits.
        require(!Files.isDirectory(file), key, value, "a file, not a directory");
        locations.add(new File(file));
      } else {
        throw invalid(key, value, "'cloudwatch' or 'file:PATH'");
      }
    }
    return List.copyOf(locations);
  }
}
