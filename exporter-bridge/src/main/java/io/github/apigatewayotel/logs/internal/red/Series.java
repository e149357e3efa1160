package io.github.apigatewayotel.logs.internal.red;

import io.opentelemetry.api.common.Attributes;

/**
 * One series of the request metrics (its attributes are built once, when it is first seen) and its
 * running total over the closed minutes, for cumulative temporality and pull readers.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
final class Series {

  final Attributes attributes;
  final SeriesValues total = new SeriesValues();

  /** Start of the first closed minute that counted in this series; the cumulative start time. */
  long startEpochMillis = Long.MIN_VALUE;

  Series(Attributes attributes) {
    this.attributes = attributes;
  }
}
