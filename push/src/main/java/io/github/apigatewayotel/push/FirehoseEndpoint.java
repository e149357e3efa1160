package io.github.apigatewayotel.push;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.github.apigatewayotel.logs.AccessLogBridge;
import io.github.apigatewayotel.logs.AccessLogDelivery;
import io.github.apigatewayotel.logs.AccessLogFormat;
import io.github.apigatewayotel.receiver.StreamedMetrics;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import javax.net.ssl.SSLContext;

/**
 * Amazon Data Firehose's HTTP endpoint destination: {@code POST /metric-streams} (CloudWatch Metric
 * Streams, OpenTelemetry 1.0 or JSON) and {@code POST /logs} (CloudWatch Logs subscriptions, API
 * Gateway's own Firehose access logs), as AWS's "HTTP endpoint delivery request and response
 * specifications" define them. A request is answered 200 only once the host's exporter exported
 * every record it held; any failure is answered with an error status and Firehose's response body
 * ({@code requestId}, {@code timestamp}, {@code errorMessage}), so that Firehose retries the
 * request (for up to its retry duration, then backs it up to S3). Stateless apart from a bounded
 * cache of the request ids it answered 200 ({@link RecentRequestIds}): any number of instances can
 * run behind a load balancer.
 */
public final class FirehoseEndpoint implements AutoCloseable {

  private static final Logger logger = Logger.getLogger(FirehoseEndpoint.class.getName());

  public static final String METRIC_STREAMS_PATH = "/metric-streams";
  public static final String LOGS_PATH = "/logs";
  static final String REQUEST_ID_HEADER = "X-Amz-Firehose-Request-Id";
  static final String ACCESS_KEY_HEADER = "X-Amz-Firehose-Access-Key";
  static final String COMMON_ATTRIBUTES_HEADER = "X-Amz-Firehose-Common-Attributes";
  static final long MAX_DRAIN_BYTES = 256L * 1024 * 1024;

  private final HttpServer server;
  private final ExecutorService executor;
  private final AccessKeyCheck accessKey;
  private final RecentRequestIds recent;
  private final FirehoseCounts counts;
  private final long maxBodyBytes;
  private final Duration exportTimeout;
  private final StreamedMetrics metrics;
  private final Supplier<CompletableResultCode> flushMetrics;
  private final AccessLogBridge bridge;
  private final LogRecords logRecords;
  private final CommonAttributes commonAttributes;
  private final Duration shutdownGrace;

  private FirehoseEndpoint(Builder b) throws IOException {
    this.accessKey = new AccessKeyCheck(b.accessKey);
    this.recent = new RecentRequestIds(b.recentRequestIds);
    this.counts = new FirehoseCounts(b.meterProvider);
    this.maxBodyBytes = b.maxBodyBytes;
    this.exportTimeout = b.exportTimeout;
    this.metrics = b.metrics;
    this.flushMetrics = b.flushMetrics;
    this.bridge = b.bridge;
    this.logRecords = new LogRecords(b.formatOfLogGroup, b.rawLineFormat);
    this.commonAttributes = new CommonAttributes(b.rawLineFormat);
    this.shutdownGrace = b.shutdownGrace;
    SlowClients.bound(b.requestTimeout);
    if (b.sslContext != null) {
      HttpsServer https = HttpsServer.create(b.address, 0);
      https.setHttpsConfigurator(new HttpsConfigurator(b.sslContext));
      this.server = https;
    } else {
      this.server = HttpServer.create(b.address, 0);
    }
    this.executor =
        Executors.newFixedThreadPool(
            b.threads,
            runnable -> {
              Thread t = new Thread(runnable, "apigateway-otel-firehose");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    if (metrics != null) {
      server.createContext(METRIC_STREAMS_PATH, exchange -> handle(exchange, true));
    }
    if (bridge != null) {
      server.createContext(LOGS_PATH, exchange -> handle(exchange, false));
    }
    server.start();
    if (!accessKey.required()) {
      logger.warning(
          "apigateway-otel firehose endpoint: no access key configured"
              + " (otel.apigateway.firehose.access.key): every request is accepted");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The address the endpoint listens on (its port, when built with port 0). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  public FirehoseCounts counts() {
    return counts;
  }

  private void handle(HttpExchange exchange, boolean metricStreams) {
    String path = metricStreams ? METRIC_STREAMS_PATH : LOGS_PATH;
    String requestId = exchange.getRequestHeaders().getFirst(REQUEST_ID_HEADER);
    try {
      if (!"POST".equals(exchange.getRequestMethod())) {
        FirehoseResponse.send(exchange, 405, requestId, "Firehose delivers with POST");
        return;
      }
      if (!accessKey.accepts(exchange.getRequestHeaders().getFirst(ACCESS_KEY_HEADER))) {
        counts.request(path, "unauthorized");
        // The presented key is never logged: it may be a real key of another stream.
        FirehoseResponse.send(
            exchange,
            401,
            requestId,
            "X-Amz-Firehose-Access-Key is missing or wrong: give the Firehose stream's HTTP endpoint the access key"
                + " set in otel.apigateway.firehose.access.key");
        return;
      }
      String length = exchange.getRequestHeaders().getFirst("Content-Length");
      if (length != null && parseLong(length) > maxBodyBytes) {
        counts.request(path, "too_large");
        drain(exchange);
        FirehoseResponse.send(
            exchange,
            413,
            requestId,
            "the request body is larger than "
                + maxBodyBytes
                + " bytes (otel.apigateway.firehose.max.body.bytes); lower the stream's buffer size");
        return;
      }
      if (recent.contains(requestId)) {
        counts.request(path, "duplicate");
        FirehoseResponse.send(exchange, 200, requestId, null);
        return;
      }
      long deadline = System.nanoTime() + exportTimeout.toNanos();
      InputStream body =
          new BoundedInputStream(exchange.getRequestBody(), maxBodyBytes, "the request body");
      if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
        body =
            new BoundedInputStream(
                new GZIPInputStream(body), maxBodyBytes, "the decompressed request body");
      }
      AccessLogFormat streamFormat =
          metricStreams
              ? null
              : commonAttributes.rawLineFormat(
                  exchange.getRequestHeaders().getFirst(COMMON_ATTRIBUTES_HEADER));
      String failure =
          metricStreams
              ? deliverMetrics(body, path, deadline)
              : deliverLogs(body, path, deadline, streamFormat);
      if (failure == null) {
        recent.add(requestId);
        counts.request(path, "ok");
        FirehoseResponse.send(exchange, 200, requestId, null);
      } else {
        counts.request(path, "not_exported");
        logger.log(
            Level.WARNING,
            "apigateway-otel firehose endpoint: request {0} on {1} not acknowledged: {2}",
            new Object[] {requestId, path, failure});
        FirehoseResponse.send(exchange, 503, requestId, failure);
      }
    } catch (FirehoseRequestReader.NotFirehoseJson | CommonAttributes.Invalid e) {
      counts.request(path, "bad_request");
      FirehoseResponse.trySend(
          exchange, 400, requestId, "not a Firehose delivery request: " + e.getMessage());
    } catch (BoundedInputStream.TooLarge e) {
      counts.request(path, "too_large");
      drain(exchange);
      FirehoseResponse.trySend(
          exchange,
          413,
          requestId,
          e.getMessage()
              + " (otel.apigateway.firehose.max.body.bytes); lower the stream's buffer size");
    } catch (ZipException e) {
      counts.request(path, "bad_request");
      FirehoseResponse.trySend(
          exchange,
          400,
          requestId,
          "Content-Encoding is gzip but the body is not: " + e.getMessage());
    } catch (IOException e) {
      counts.request(
          path, "read_failed"); // a client that went away or stalled past the request timeout
      FirehoseResponse.trySend(
          exchange, 400, requestId, "the request body could not be read: " + e.getMessage());
    } catch (RuntimeException e) {
      counts.request(path, "failed");
      logger.log(
          Level.WARNING, "apigateway-otel firehose endpoint: request " + requestId + " failed", e);
      FirehoseResponse.trySend(exchange, 500, requestId, "the endpoint failed: " + e);
    } finally {
      exchange.close();
    }
  }

  /** Returns null once every point was exported, else why not. */
  private String deliverMetrics(InputStream body, String path, long deadline) throws IOException {
    StreamedMetrics.Batch batch = metrics.newBatch();
    FirehoseRequestReader.Header header =
        FirehoseRequestReader.read(
            body,
            data -> {
              try {
                MetricStreamRecords.add(data, batch);
              } catch (MetricStreamRecords.NotAMetricStreamRecord e) {
                counts.invalidRecord(path);
                logger.log(Level.FINE, "skipped a record", e);
              }
            });
    counts.records(path, header.records());
    var done = batch.submit();
    if (batch.size() > 0 && flushMetrics != null) {
      var unused = flushMetrics.get(); // export now rather than at the reader's next interval
    }
    try {
      Boolean exported = done.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      return exported
          ? null
          : "the host's metric exporter failed to export the points; Firehose will retry";
    } catch (java.util.concurrent.TimeoutException e) {
      batch.withdraw();
      return "the points were not exported within " + exportTimeout + "; Firehose will retry";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      batch.withdraw();
      return "interrupted";
    } catch (java.util.concurrent.ExecutionException e) {
      return "export failed: " + e.getCause();
    }
  }

  private String deliverLogs(
      InputStream body, String path, long deadline, AccessLogFormat streamFormat)
      throws IOException {
    boolean[] late = {false};
    LogRecords records =
        streamFormat == null ? logRecords : logRecords.withRawLineFormat(streamFormat);
    try (AccessLogDelivery delivery = AccessLogDelivery.open(bridge, deadline)) {
      long received = System.currentTimeMillis();
      LogRecords.Outcome[] outcome = new LogRecords.Outcome[1];
      FirehoseRequestReader.Header header =
          FirehoseRequestReader.read(
              body,
              data -> {
                if (late[0]) {
                  return;
                }
                try {
                  late[0] = !records.add(data, delivery, received, outcome);
                } catch (LogRecords.NotALogRecord e) {
                  counts.invalidRecord(path);
                  logger.log(Level.FINE, "skipped a record", e);
                }
              });
      counts.records(path, header.records());
      if (late[0] || !delivery.awaitDelivery()) {
        return "the log records were not exported within "
            + exportTimeout
            + "; Firehose will retry";
      }
      return null;
    }
  }

  /**
   * Reads and discards what is left of a refused body (up to {@value #MAX_DRAIN_BYTES} bytes, 64
   * KiB at a time), so that the client reads the answer: closing a connection with unread bytes
   * resets it, and the answer is lost with it. A larger rest is cut off (the client then sees a
   * reset).
   */
  private static void drain(HttpExchange exchange) {
    byte[] buffer = new byte[64 * 1024];
    long drained = 0;
    try {
      InputStream in = exchange.getRequestBody();
      for (int n = in.read(buffer); n >= 0 && drained < MAX_DRAIN_BYTES; n = in.read(buffer)) {
        drained += n;
      }
    } catch (IOException e) {
      // the client went away: nothing to answer
    }
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Stops accepting requests, lets those under way finish for the shutdown grace (5 s), and stops
   * its threads.
   */
  @Override
  public void close() {
    server.stop((int) shutdownGrace.toSeconds());
    executor.shutdownNow();
  }

  /**
   * Settings; {@link FirehoseEndpointConfig} applies the {@code otel.apigateway.firehose.*}
   * properties.
   */
  public static final class Builder {
    public static final long DEFAULT_MAX_BODY_BYTES = 96L * 1024 * 1024;

    private InetSocketAddress address = new InetSocketAddress("0.0.0.0", 8443);
    private String accessKey;
    private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private Duration exportTimeout = Duration.ofSeconds(150);
    private Duration requestTimeout = Duration.ofSeconds(60);
    private int threads = 16;
    private int recentRequestIds = 10_000;
    private SSLContext sslContext;
    private MeterProvider meterProvider = MeterProvider.noop();
    private StreamedMetrics metrics;
    private Supplier<CompletableResultCode> flushMetrics;
    private AccessLogBridge bridge;
    private Function<String, AccessLogFormat> formatOfLogGroup;
    private AccessLogFormat rawLineFormat;
    private Duration shutdownGrace = Duration.ofSeconds(5);

    private Builder() {}

    /**
     * How long {@link #close} lets requests under way finish (whole seconds; the JDK server waits
     * it out while connections are open).
     */
    public Builder setShutdownGrace(Duration shutdownGrace) {
      if (shutdownGrace.isNegative()) {
        throw new IllegalArgumentException("shutdownGrace must not be negative: " + shutdownGrace);
      }
      this.shutdownGrace = shutdownGrace;
      return this;
    }

    public Builder setAddress(InetSocketAddress address) {
      this.address = Objects.requireNonNull(address, "address");
      return this;
    }

    public Builder setAccessKey(String accessKey) {
      this.accessKey = accessKey;
      return this;
    }

    /**
     * Largest body accepted, compressed or not (96 MiB: Firehose's 64 MiB buffer in base64 JSON).
     */
    public Builder setMaxBodyBytes(long maxBodyBytes) {
      if (maxBodyBytes < 1024) {
        throw new IllegalArgumentException("maxBodyBytes must be at least 1024: " + maxBodyBytes);
      }
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /**
     * How long a request waits for its export before answering 503 (Firehose gives up after 180 s).
     */
    public Builder setExportTimeout(Duration exportTimeout) {
      if (exportTimeout.isNegative() || exportTimeout.isZero()) {
        throw new IllegalArgumentException("exportTimeout must be positive: " + exportTimeout);
      }
      this.exportTimeout = exportTimeout;
      return this;
    }

    /** How long a client may take to send its request (slow clients are cut off). */
    public Builder setRequestTimeout(Duration requestTimeout) {
      this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
      return this;
    }

    public Builder setThreads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1: " + threads);
      }
      this.threads = threads;
      return this;
    }

    public Builder setRecentRequestIds(int capacity) {
      if (capacity < 0) {
        throw new IllegalArgumentException("recentRequestIds must not be negative: " + capacity);
      }
      this.recentRequestIds = capacity;
      return this;
    }

    /**
     * Serves HTTPS with {@code sslContext} (else plain HTTP, behind a TLS-terminating load
     * balancer).
     */
    public Builder setSslContext(SSLContext sslContext) {
      this.sslContext = sslContext;
      return this;
    }

    public Builder setMeterProvider(MeterProvider meterProvider) {
      this.meterProvider = Objects.requireNonNull(meterProvider, "meterProvider");
      return this;
    }

    /**
     * Serves {@code /metric-streams} into {@code metrics}; {@code flush} (the meter provider's)
     * exports at once.
     */
    public Builder setMetrics(StreamedMetrics metrics, Supplier<CompletableResultCode> flush) {
      this.metrics = Objects.requireNonNull(metrics, "metrics");
      this.flushMetrics = flush;
      return this;
    }

    /**
     * Serves {@code /logs} into {@code bridge} (give it a {@code LogDeliveryTracker}, or handing a
     * record to the SDK counts as exported).
     *
     * @param formatOfLogGroup a subscription's log group to its format (the stage's), or null for
     *     the bridge's
     * @param rawLineFormat the format of raw API Gateway lines, or null for the bridge's
     */
    public Builder setLogs(
        AccessLogBridge bridge,
        Function<String, AccessLogFormat> formatOfLogGroup,
        AccessLogFormat rawLineFormat) {
      this.bridge = Objects.requireNonNull(bridge, "bridge");
      this.formatOfLogGroup = formatOfLogGroup;
      this.rawLineFormat = rawLineFormat;
      return this;
    }

    /** Starts listening. */
    public FirehoseEndpoint build() throws IOException {
      if (metrics == null && bridge == null) {
        throw new IllegalStateException("neither metrics nor logs: set at least one");
      }
      return new FirehoseEndpoint(this);
    }
  }
}
