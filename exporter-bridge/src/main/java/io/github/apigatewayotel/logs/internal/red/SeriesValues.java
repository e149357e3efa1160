package io.github.apigatewayotel.logs.internal.red;

/**
 * What one series counted: requests, and the histograms of the values the access-log format carries
 * (each created on the first line that has its value, so a format without latencies costs nothing
 * for them). One minute's values, or a series' running total. Guarded by its owner's lock.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
final class SeriesValues {

  private long requests;
  private Histogram duration;
  private Histogram integration;
  private Histogram bodySize;

  /** Counts one request; a negative value means the line does not carry it. */
  void add(RequestLine request, ExemplarSource exemplars) {
    requests++;
    if (request.durationSeconds() >= 0) {
      duration = record(duration, Histogram.DURATION_SECONDS, request.durationSeconds(), exemplars);
    }
    if (request.integrationSeconds() >= 0) {
      integration =
          record(integration, Histogram.DURATION_SECONDS, request.integrationSeconds(), exemplars);
    }
    if (request.bodyBytes() >= 0) {
      bodySize = record(bodySize, Histogram.BODY_BYTES, request.bodyBytes(), exemplars);
    }
  }

  /** Adds another series' or minute's values (a minute closing into a running total). */
  void add(SeriesValues other) {
    requests += other.requests;
    duration = add(duration, other.duration, Histogram.DURATION_SECONDS);
    integration = add(integration, other.integration, Histogram.DURATION_SECONDS);
    bodySize = add(bodySize, other.bodySize, Histogram.BODY_BYTES);
  }

  long requests() {
    return requests;
  }

  Histogram duration() {
    return duration;
  }

  Histogram integration() {
    return integration;
  }

  Histogram bodySize() {
    return bodySize;
  }

  private static Histogram record(
      Histogram histogram, double[] bounds, double value, ExemplarSource exemplars) {
    Histogram target = histogram != null ? histogram : new Histogram(bounds);
    int bucket = target.record(value);
    if (target.wantsExemplar(bucket)) {
      ExemplarRecord exemplar = exemplars.exemplar(value);
      if (exemplar != null) {
        target.setExemplar(bucket, exemplar);
      }
    }
    return target;
  }

  private static Histogram add(Histogram into, Histogram from, double[] bounds) {
    if (from == null) {
      return into;
    }
    Histogram target = into != null ? into : new Histogram(bounds);
    target.add(from);
    return target;
  }

  /** Makes the exemplar of a value of the request being counted, or null when it has no trace. */
  @FunctionalInterface
  interface ExemplarSource {
    ExemplarRecord exemplar(double value);
  }
}
