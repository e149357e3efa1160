package io.github.apigatewayotel.logs.internal.red;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.DoubleExemplarData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An explicit-bucket histogram being filled: counts per bucket, sum, min, max and, per bucket, one
 * exemplar (the first traced request that fell in it). Buckets are {@code (previous bound, bound]}
 * as in OpenTelemetry. Not thread-safe: its owner's lock guards it.
 *
 * <p>Explicit buckets, not exponential: they are what every OpenTelemetry HTTP server
 * instrumentation (the Java agent's included) records {@code http.server.request.duration} with,
 * the semantic conventions' advice, so API Gateway's series and the services behind it share one
 * bucket layout and sum or compare in any backend; Prometheus-compatible backends (Prometheus,
 * Mimir, Grafana Cloud) store them as classic {@code le} buckets that {@code histogram_quantile}
 * reads without native-histogram support, and Datadog turns either kind into a distribution.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
final class Histogram {

  /**
   * The semantic conventions' advice for {@code http.server.request.duration}, in seconds. API
   * Gateway writes latencies in whole milliseconds, so 5 ms falls exactly on the first bound.
   */
  static final double[] DURATION_SECONDS = {
    0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10
  };

  /**
   * The SDK's default explicit buckets: the semantic conventions give no advice for body sizes, so
   * instrumented services record {@code http.server.response.body.size} with these, and so do we.
   */
  static final double[] BODY_BYTES = {
    0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1_000, 2_500, 5_000, 7_500, 10_000
  };

  private static final List<Double> DURATION_LIST = boxed(DURATION_SECONDS);
  private static final List<Double> BODY_LIST = boxed(BODY_BYTES);

  private final double[] bounds;
  private final long[] counts;
  private long count;
  private double sum;
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;

  /** Null until a traced request is recorded. */
  private ExemplarRecord[] exemplars;

  Histogram(double[] bounds) {
    this.bounds = bounds;
    this.counts = new long[bounds.length + 1];
  }

  /** Records {@code value}; returns its bucket. */
  int record(double value) {
    int bucket = bucketOf(value);
    counts[bucket]++;
    count++;
    sum += value;
    min = Math.min(min, value);
    max = Math.max(max, value);
    return bucket;
  }

  /** Whether {@code bucket} has no exemplar yet. */
  boolean wantsExemplar(int bucket) {
    return exemplars == null || exemplars[bucket] == null;
  }

  void setExemplar(int bucket, ExemplarRecord exemplar) {
    if (exemplars == null) {
      exemplars = new ExemplarRecord[counts.length];
    }
    exemplars[bucket] = exemplar;
  }

  /**
   * Adds {@code other} (same bounds); its exemplars, being newer, replace ours bucket by bucket.
   */
  void add(Histogram other) {
    for (int i = 0; i < counts.length; i++) {
      counts[i] += other.counts[i];
    }
    count += other.count;
    sum += other.sum;
    min = Math.min(min, other.min);
    max = Math.max(max, other.max);
    if (other.exemplars != null) {
      for (int i = 0; i < other.exemplars.length; i++) {
        if (other.exemplars[i] != null) {
          setExemplar(i, other.exemplars[i]);
        }
      }
    }
  }

  long count() {
    return count;
  }

  /** A point of the values so far (copied: a running total goes on changing). */
  HistogramPointRecord point(long startEpochNanos, long epochNanos, Attributes attributes) {
    List<Long> bucketCounts = new ArrayList<>(counts.length);
    for (long c : counts) {
      bucketCounts.add(c);
    }
    List<DoubleExemplarData> pointExemplars = new ArrayList<>(0);
    if (exemplars != null) {
      for (ExemplarRecord exemplar : exemplars) {
        if (exemplar != null) {
          pointExemplars.add(exemplar);
        }
      }
    }
    return new HistogramPointRecord(
        startEpochNanos,
        epochNanos,
        attributes,
        sum,
        count,
        min,
        max,
        bounds == DURATION_SECONDS
            ? DURATION_LIST
            : bounds == BODY_BYTES ? BODY_LIST : boxed(bounds),
        List.copyOf(bucketCounts),
        List.copyOf(pointExemplars));
  }

  private int bucketOf(double value) {
    int index = Arrays.binarySearch(bounds, value);
    return index >= 0 ? index : -index - 1; // an exact bound belongs to the bucket it closes
  }

  private static List<Double> boxed(double[] values) {
    List<Double> list = new ArrayList<>(values.length);
    for (double v : values) {
      list.add(v);
    }
    return List.copyOf(list);
  }
}
