package io.github.apigatewayotel.receiver;

import io.github.apigatewayotel.receiver.internal.ApiInventory;
import io.github.apigatewayotel.receiver.internal.DoubleGauge;
import io.github.apigatewayotel.receiver.internal.DoublePoint;
import io.github.apigatewayotel.receiver.internal.DoubleSum;
import io.github.apigatewayotel.receiver.internal.MetricDescriptor;
import io.github.apigatewayotel.receiver.internal.MetricExportListener;
import io.github.apigatewayotel.receiver.internal.ReceiverMetricData;
import io.github.apigatewayotel.receiver.internal.SeriesAttributes;
import io.github.apigatewayotel.receiver.internal.StreamedDatapointMapper;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.export.MetricProducer;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * CloudWatch datapoints pushed by a Metric Stream (through Firehose), mapped through the polling
 * receiver's catalog and attributes so that a backend cannot tell the two paths apart, and handed
 * to the host SDK as a {@link MetricProducer} with their CloudWatch times: a Gauge stamped at its
 * period start, a Sum as a delta over [period start, period end). Sums are always delta: a
 * cumulative total needs every point of a series in one process, which a stateless fleet behind a
 * load balancer does not have.
 *
 * <p>A {@link Batch} (one Firehose request) completes once the host's exporter has exported every
 * one of its points ({@link MetricExportConfirmations}, wrapping the host's exporter); without
 * confirmations, once a reader has collected them.
 */
public final class StreamedMetrics implements MetricProducer {

  private static final InstrumentationScopeInfo SCOPE =
      InstrumentationScopeInfo.builder("io.github.apigatewayotel.receiver")
          .setVersion("0.1.0")
          .build();

  private final StreamedDatapointMapper mapper;
  private final boolean confirmed;
  private final ConcurrentLinkedQueue<Batch> pending = new ConcurrentLinkedQueue<>();

  /** Metric data handed to a reader, by identity (records compare by value), with their batch. */
  private final Map<MetricData, Batch> inFlight =
      Collections.synchronizedMap(new IdentityHashMap<>());

  private StreamedMetrics(
      String tagAttributePrefix,
      Function<String, ApiInventory> inventories,
      MetricExportConfirmations confirmations) {
    this.mapper =
        new StreamedDatapointMapper(new SeriesAttributes(tagAttributePrefix), inventories);
    this.confirmed = confirmations != null;
    if (confirmations != null) {
      confirmations.attach(
          new MetricExportListener() {
            @Override
            public void exported(Collection<MetricData> metrics, boolean success) {
              for (MetricData metric : metrics) {
                Batch batch = inFlight.remove(metric);
                if (batch != null) {
                  batch.confirm(success);
                }
              }
            }
          });
    }
  }

  /**
   * Streamed metrics without discovery: attributes come from the dimensions alone (as the polling
   * receiver's for an account it cannot discover: no tags, REST APIs named but not identified).
   *
   * @param confirmations the confirmations wrapping the host's exporter (given to no receiver), or
   *     null
   */
  public static StreamedMetrics create(
      String tagAttributePrefix, MetricExportConfirmations confirmations) {
    return new StreamedMetrics(tagAttributePrefix, region -> null, confirmations);
  }

  /**
   * Streamed metrics joined to discovery, as the polling receiver's: {@code discovery} gives each
   * region's APIs and tags ({@link StreamedMetricsDiscovery}).
   */
  public static StreamedMetrics create(
      String tagAttributePrefix,
      StreamedMetricsDiscovery discovery,
      MetricExportConfirmations confirmations) {
    Objects.requireNonNull(discovery, "discovery");
    return new StreamedMetrics(tagAttributePrefix, discovery::inventory, confirmations);
  }

  /** A new batch (e.g. one Firehose request's records). */
  public Batch newBatch() {
    return new Batch();
  }

  @Override
  public Collection<MetricData> produce(Resource resource) {
    List<MetricData> out = new ArrayList<>();
    for (Batch next = pending.poll(); next != null; next = pending.poll()) {
      Batch batch = next;
      List<MetricData> metrics = batch.toMetricData(resource);
      if (metrics.isEmpty() || !confirmed) {
        batch.handedOver(metrics.size());
        batch.done.complete(true);
      } else {
        batch.handedOver(metrics.size());
        metrics.forEach(m -> inFlight.put(m, batch));
      }
      out.addAll(metrics);
    }
    return out;
  }

  /** The points of one delivery, mapped; {@link #submit} hands them to the host SDK. */
  public final class Batch {
    private final List<StreamedDatapointMapper.Mapped> points = new ArrayList<>();
    private final List<long[]> periods = new ArrayList<>(); // {period start, period seconds}
    private final CompletableFuture<Boolean> done = new CompletableFuture<>();
    private int outstanding;
    private boolean failed;
    private boolean submitted;

    private Batch() {}

    /**
     * Maps one datapoint; returns how many OTel points it gave (0 when its metric is not in the
     * table or the series names no API).
     *
     * @param account the account that owns the series ({@code cloud.account.id}), or null
     * @param dimensions the CloudWatch dimensions ({@code ApiName}, {@code ApiId}, {@code Stage}
     *     ...)
     * @param statistics by CloudWatch statistic name ({@code Sum}, {@code Average}, {@code
     *     Maximum}, {@code Minimum}, {@code SampleCount}, {@code p99})
     * @param periodStartEpochSeconds the start of the datapoint's period
     */
    public synchronized int add(
        String account,
        String region,
        String metricName,
        Map<String, String> dimensions,
        Map<String, Double> statistics,
        long periodStartEpochSeconds,
        long periodSeconds) {
      if (submitted) {
        throw new IllegalStateException("batch already submitted");
      }
      List<StreamedDatapointMapper.Mapped> mapped =
          mapper.map(account, region, metricName, dimensions, statistics);
      for (StreamedDatapointMapper.Mapped point : mapped) {
        points.add(point);
        periods.add(new long[] {periodStartEpochSeconds, Math.max(1, periodSeconds)});
      }
      return mapped.size();
    }

    public synchronized int size() {
      return points.size();
    }

    /**
     * Offers the points to the host SDK's next collection; the future completes true once all were
     * exported (or collected, without confirmations), false when an export of one failed.
     */
    public CompletableFuture<Boolean> submit() {
      synchronized (this) {
        submitted = true;
      }
      if (points.isEmpty()) {
        done.complete(true);
      } else {
        pending.add(this);
      }
      return done;
    }

    /**
     * Takes the points back if no reader collected them yet (the caller gave up waiting, and the
     * sender will deliver them again); returns whether they were withdrawn.
     */
    public boolean withdraw() {
      boolean removed = pending.remove(this);
      if (removed) {
        done.complete(false);
      }
      return removed;
    }

    private synchronized void handedOver(int metrics) {
      outstanding = metrics;
    }

    private synchronized void confirm(boolean success) {
      failed |= !success;
      if (--outstanding <= 0) {
        done.complete(!failed);
      }
    }

    private synchronized List<MetricData> toMetricData(Resource resource) {
      Map<String, MetricDescriptor> descriptors = new LinkedHashMap<>();
      Map<String, List<DoublePointData>> byName = new LinkedHashMap<>();
      for (int i = 0; i < points.size(); i++) {
        StreamedDatapointMapper.Mapped point = points.get(i);
        MetricDescriptor d = point.descriptor();
        long start = TimeUnit.SECONDS.toNanos(periods.get(i)[0]);
        long end = TimeUnit.SECONDS.toNanos(periods.get(i)[0] + periods.get(i)[1]);
        DoublePointData data =
            d.monotonicSum()
                ? new DoublePoint(start, end, point.attributes(), point.value())
                : new DoublePoint(
                    start, start, point.attributes(), point.value()); // at the period start
        descriptors.putIfAbsent(d.otelName(), d);
        byName.computeIfAbsent(d.otelName(), n -> new ArrayList<>()).add(data);
      }
      List<MetricData> metrics = new ArrayList<>(byName.size());
      byName.forEach(
          (name, list) -> {
            MetricDescriptor d = descriptors.get(name);
            metrics.add(
                d.monotonicSum()
                    ? new ReceiverMetricData(
                        resource,
                        SCOPE,
                        name,
                        d.description(),
                        d.unit(),
                        MetricDataType.DOUBLE_SUM,
                        new DoubleSum(true, AggregationTemporality.DELTA, list))
                    : new ReceiverMetricData(
                        resource,
                        SCOPE,
                        name,
                        d.description(),
                        d.unit(),
                        MetricDataType.DOUBLE_GAUGE,
                        new DoubleGauge(list)));
          });
      return metrics;
    }
  }
}
