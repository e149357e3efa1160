package io.github.apigatewayotel.receiver;

import io.github.apigatewayotel.receiver.internal.BacklogFlusher;
import io.github.apigatewayotel.receiver.internal.ReceiverConfig;
import io.github.apigatewayotel.receiver.internal.ReceiverEngine;
import io.opentelemetry.sdk.metrics.export.MetricProducer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Polls CloudWatch's {@code AWS/ApiGateway} namespace with GetMetricData and hands the datapoints
 * to the host's OpenTelemetry SDK as metrics, named, typed and attributed as the Datadog Amazon API
 * Gateway integration names them (see the module README for the table).
 *
 * <p>Register {@link #metricProducer()} with {@code SdkMeterProviderBuilder.registerMetricProducer}
 * and call {@link #start()}: discovery and polling then run on the receiver's own daemon threads.
 * Nothing here blocks or throws into the host once built: AWS problems are logged once and retried.
 */
public final class ApiGatewayMetricsReceiver implements AutoCloseable {

  private static final Logger logger = Logger.getLogger(ApiGatewayMetricsReceiver.class.getName());

  /** AWS/ApiGateway metrics have one-minute resolution; periods are whole minutes. */
  public static final Duration MIN_PERIOD = Duration.ofMinutes(1);

  /**
   * Default of {@link ApiGatewayMetricsReceiverBuilder#maxPendingPoints}: about 80 MB of pending
   * datapoints.
   */
  public static final int DEFAULT_MAX_PENDING_POINTS = 4_000_000;

  /**
   * The smallest {@link ApiGatewayMetricsReceiverBuilder#maxPendingPoints}: one GetMetricData
   * call's worth of queries.
   */
  public static final int MIN_PENDING_POINTS = 500;

  /** Default of {@link ApiGatewayMetricsReceiverBuilder#maxExportPoints}. */
  public static final int DEFAULT_MAX_EXPORT_POINTS = 5_000;

  /** The smallest {@link ApiGatewayMetricsReceiverBuilder#maxExportPoints}. */
  public static final int MIN_EXPORT_POINTS = 100;

  /** GetMetricData accepts at most 500 queries per call. */
  public static final int MAX_QUERIES_PER_GET_METRIC_DATA = 500;

  /** CloudWatch's default GetMetricData quota is 50 TPS per account and region. */
  public static final int MAX_CONCURRENCY = 50;

  /**
   * Default of {@link ApiGatewayMetricsReceiverBuilder#pollInterval} (at least the period): each
   * query then returns 5 one-minute periods per metric request, a fifth of the CloudWatch bill of
   * 1-minute polling, and a period leaves at most delay + interval (8 minutes) after its end, plus
   * the metric reader's export interval.
   */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMinutes(5);

  /**
   * Default of {@link ApiGatewayMetricsReceiverBuilder#period}: AWS/ApiGateway's own resolution,
   * one minute.
   */
  public static final Duration DEFAULT_PERIOD = MIN_PERIOD;

  /**
   * Default of {@link ApiGatewayMetricsReceiverBuilder#delay}: CloudWatch usually holds a minute's
   * API Gateway datapoints within 2 to 3 minutes; a period is read once it is this old.
   */
  public static final Duration DEFAULT_DELAY = Duration.ofMinutes(3);

  /**
   * Default of {@link ApiGatewayMetricsReceiverBuilder#lookback}: how far back the first poll, and
   * a rediscovered series, reads.
   */
  public static final Duration DEFAULT_LOOKBACK = Duration.ofMinutes(10);

  /**
   * Default of {@link ApiGatewayMetricsReceiverBuilder#discoveryInterval}: APIs, stages and tags
   * change rarely, and each discovery costs GetRestApis/GetStages/tag and ListMetrics calls per
   * region and account. The plugin's {@code otel.apigateway.discovery.interval} drives the
   * access-log groups' discovery too ({@code CloudWatchLogsSource.DEFAULT_DISCOVERY_INTERVAL}, the
   * same value).
   */
  public static final Duration DEFAULT_DISCOVERY_INTERVAL = Duration.ofMinutes(15);

  /** Default of {@link ApiGatewayMetricsReceiverBuilder#tagAttributePrefix}. */
  public static final String DEFAULT_TAG_ATTRIBUTE_PREFIX = "aws.tag.";

  /**
   * Default of {@link ApiGatewayMetricsReceiverBuilder#getMetricDataConcurrency}: GetMetricData
   * calls in flight per region.
   */
  public static final int DEFAULT_CONCURRENCY = 4;

  private static final String VERSION = "0.1.0";

  private final ReceiverConfig config;
  private final ThreadFactory threadFactory;
  private final ReceiverEngine engine;

  /** Drains the readers' backlogs piece after piece; null without reader lanes. */
  private final BacklogFlusher flusher;

  private ScheduledExecutorService scheduler;
  private boolean closed;

  ApiGatewayMetricsReceiver(ApiGatewayMetricsReceiverBuilder builder) {
    this.config = builder.toConfig();
    this.threadFactory = builder.threadFactory;
    this.engine = new ReceiverEngine(config, VERSION);
    if (builder.exportConfirmations != null) {
      engine.pending().requireConfirmation();
      builder.exportConfirmations.attach(engine.pending());
    }
    if (builder.readerLanes != null) {
      engine.pending().collectFor(builder.readerLanes.lanes());
      flusher = new BacklogFlusher(builder.readerLanes.lanes(), threadFactory);
      engine.pending().onBacklog(flusher::backlogged);
    } else {
      flusher = null;
    }
    if (builder.accountIdSupplier != null) {
      engine.accountIdFrom(builder.accountIdSupplier);
    }
  }

  public static ApiGatewayMetricsReceiverBuilder builder() {
    return new ApiGatewayMetricsReceiverBuilder();
  }

  /**
   * The producer to register with the host's {@code SdkMeterProvider}; each point leaves it once
   * (once per reader with {@link ApiGatewayMetricsReceiverBuilder#metricReaderLanes}).
   */
  public MetricProducer metricProducer() {
    return engine.pending();
  }

  /**
   * Starts discovery and polling in the background and returns at once. Polls are spread over the
   * poll interval: every {@code interval / (interval / period)} (every minute, at the defaults) one
   * slice of the queries is read, so each query is read once per interval and CloudWatch's calls,
   * the points handed to the SDK and the CPU are even over time instead of one burst. The first
   * tick runs immediately. Calling it twice has no effect.
   */
  public synchronized void start() {
    if (closed || scheduler != null) {
      return;
    }
    engine.pollsRepeat();
    scheduler = Executors.newSingleThreadScheduledExecutor(threadFactory);
    // at a fixed rate: a tick that ran long (a discovery) does not push every later query back
    scheduler.scheduleAtFixedRate(
        this::pollQuietly, 0, config.pollTick().toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * One synchronous poll of every query on the caller's thread (discovering first if needed), e.g.
   * for {@code --once}.
   */
  public PollSummary pollOnce() {
    return engine.pollOnce();
  }

  /**
   * One tick of {@link #start()}'s schedule, on the caller's thread: the next slice of the queries
   * (tests).
   */
  PollSummary pollNextSlice() {
    return engine.pollNextSlice();
  }

  /**
   * GetMetricData queries one poll interval makes with the current discovery (0 before the first
   * one); one query per series and chosen statistic. CloudWatch bills each.
   */
  public int queriesPerPoll() {
    return engine.queriesPerPoll();
  }

  /**
   * What polling costs at CloudWatch's public price, per region, as of its last discovery (empty
   * before the first): queries per poll, polls, metric requests and dollars per 30-day month. The
   * receiver also logs it after each discovery and publishes it as {@code
   * apigateway_otel.receiver.cost.*} gauges.
   */
  public List<CloudWatchCost> costEstimates() {
    return engine.costs();
  }

  /** GetMetricData calls one poll makes at least: ceil(queries / 500). */
  public int getMetricDataCallsPerPoll() {
    int queries = queriesPerPoll();
    return (queries + MAX_QUERIES_PER_GET_METRIC_DATA - 1) / MAX_QUERIES_PER_GET_METRIC_DATA;
  }

  private void pollQuietly() {
    try {
      engine.pollNextSlice();
    } catch (Throwable t) { // a background poll must never kill the scheduler or reach the host
      logger.log(Level.WARNING, "apigateway-otel receiver: poll failed unexpectedly", t);
    }
  }

  /**
   * How long {@link #close} keeps exporting pending points piece after piece (with reader lanes).
   */
  static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Stops polling and releases the AWS clients. With {@link
   * ApiGatewayMetricsReceiverBuilder#metricReaderLanes}, first has every push reader export its
   * pending points, piece after piece, for up to 30 seconds (until an export fails): the host's
   * final flush exports one piece only. Points not exported stay in the producer.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (scheduler != null) {
      scheduler.shutdownNow();
      try {
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (flusher != null) {
      flusher.drain(engine.pending(), DRAIN_TIMEOUT);
    }
    engine.close();
  }
}
