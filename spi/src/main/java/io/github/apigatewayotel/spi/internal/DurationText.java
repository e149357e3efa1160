package io.github.apigatewayotel.spi.internal;

import java.time.Duration;

/**
 * A duration as a user types it in a property ({@code 10m}, {@code 1h}, {@code 30s}, {@code
 * 500ms}).
 */
final class DurationText {

  private DurationText() {}

  static String of(Duration duration) {
    long millis = duration.toMillis();
    if (millis % 86_400_000 == 0 && millis != 0) {
      return millis / 86_400_000 + "d";
    }
    if (millis % 3_600_000 == 0 && millis != 0) {
      return millis / 3_600_000 + "h";
    }
    if (millis % 60_000 == 0 && millis != 0) {
      return millis / 60_000 + "m";
    }
    if (millis % 1_000 == 0) {
      return millis / 1_000 + "s";
    }
    return millis + "ms";
  }
}
