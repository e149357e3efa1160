package io.github.apigatewayotel.testing.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP receiver on loopback that decodes every request with the official OTLP protobufs.
 * Tests assert on the decoded messages, never on log text. It can be told to answer 503 for a
 * while, to simulate a backend outage, to reject requests holding a poison record with 400, and to
 * answer slowly.
 */
public final class OtlpTestReceiver implements OtlpBackend {

  /** The request path's entry in {@link #requestHeaders()} (a pseudo-header, as in HTTP/2). */
  public static final String PATH_KEY = ":path";

  private final HttpServer server;

  /** Thread names start with {@link #THREAD_NAME_PREFIX} (benchmarks attribute CPU by name). */
  public static final String THREAD_NAME_PREFIX = "otlp-test-receiver";

  private final ReceiverThreads threads = new ReceiverThreads(THREAD_NAME_PREFIX);
  private final ExecutorService executor = Executors.newFixedThreadPool(2, threads);
  private final List<ExportLogsServiceRequest> logRequests = new CopyOnWriteArrayList<>();
  private final List<ExportMetricsServiceRequest> metricRequests = new CopyOnWriteArrayList<>();
  private final List<Map<String, String>> requestHeaders = new CopyOnWriteArrayList<>();
  private final AtomicInteger rejectedRequests = new AtomicInteger();
  private final AtomicLong decodedLogRecords = new AtomicLong();
  private final AtomicLong apiGatewayPoints = new AtomicLong();
  private final AtomicLong largestMetricRequest = new AtomicLong();

  /**
   * Metric request bodies larger than this are answered 413, as a Collector's OTLP/HTTP receiver
   * does.
   */
  private volatile long maxRequestBytes = Long.MAX_VALUE;

  /** False for throughput runs: decoded requests are counted, then dropped. */
  private final boolean keepRequests;

  private volatile int unavailableStatus = 0;
  private volatile Predicate<ExportLogsServiceRequest> invalidLogs = request -> false;
  private volatile Predicate<ExportMetricsServiceRequest> invalidMetrics = request -> false;
  private volatile Duration responseDelay = Duration.ZERO;

  private OtlpTestReceiver(HttpServer server, boolean keepRequests) {
    this.server = server;
    this.keepRequests = keepRequests;
  }

  /** Starts a receiver on an ephemeral loopback port. */
  public static OtlpTestReceiver start() throws IOException {
    return start(true);
  }

  /**
   * Starts a receiver that decodes every request in full with the official protobufs, exactly as
   * {@link #start()} does, and counts its log records ({@link #logRecordCount()}), but keeps no
   * decoded message: {@link #logRequests()}, {@link #logRecords()} and the metric accessors stay
   * empty. For throughput runs, where keeping hundreds of thousands of decoded records makes the
   * garbage collector (copying a growing live set) the bottleneck instead of the pipeline.
   */
  public static OtlpTestReceiver startCountingOnly() throws IOException {
    return start(false);
  }

  private static OtlpTestReceiver start(boolean keepRequests) throws IOException {
    // Without TCP_NODELAY, small responses wait on delayed ACKs: ~40 ms stalls per export on
    // loopback. The JDK server reads this once, before its first use in the JVM.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    OtlpTestReceiver receiver = new OtlpTestReceiver(server, keepRequests);
    server.createContext("/v1/logs", receiver::handleLogs);
    server.createContext("/v1/metrics", receiver::handleMetrics);
    server.createContext("/v1/traces", exchange -> receiver.respond(exchange, 200, new byte[0]));
    server.setExecutor(receiver.executor);
    server.start();
    return receiver;
  }

  /**
   * The base URL to put in {@code otel.exporter.otlp.endpoint}, e.g. {@code http://127.0.0.1:4318}.
   */
  public String endpoint() {
    InetSocketAddress address = server.getAddress();
    return "http://" + address.getAddress().getHostAddress() + ":" + address.getPort();
  }

  /** While non-zero, every export is answered with this HTTP status and not recorded. */
  public void answerWith(int httpStatus) {
    this.unavailableStatus = httpStatus;
  }

  @Override
  public String protocol() {
    return "http/protobuf";
  }

  /** Answers every export with 503 while {@code refusing}, as in an outage. */
  @Override
  public void refuse(boolean refusing) {
    answerWith(refusing ? 503 : 0);
  }

  public int rejectedRequests() {
    return rejectedRequests.get();
  }

  @Override
  public void rejectAsInvalid(
      Predicate<ExportLogsServiceRequest> logs, Predicate<ExportMetricsServiceRequest> metrics) {
    invalidLogs = logs;
    invalidMetrics = metrics;
  }

  @Override
  public void delayResponses(Duration delay) {
    responseDelay = delay;
  }

  /**
   * Answers metric requests whose body (uncompressed) is larger than {@code bytes} with 413 and
   * records nothing of them, as an OpenTelemetry Collector's OTLP/HTTP receiver does beyond its
   * {@code max_request_body_size} (20 MiB by default).
   */
  public OtlpTestReceiver limitRequestBytes(long bytes) {
    this.maxRequestBytes = bytes;
    return this;
  }

  /**
   * Data points of {@code aws.apigateway.*} metrics decoded so far, over all accepted requests (in
   * both modes).
   */
  public long apiGatewayPointCount() {
    return apiGatewayPoints.get();
  }

  /** The largest metric request body accepted so far, in bytes (uncompressed). */
  public long largestMetricRequestBytes() {
    return largestMetricRequest.get();
  }

  /** Log records decoded so far, over all accepted requests (in both modes). */
  public long logRecordCount() {
    return decodedLogRecords.get();
  }

  /**
   * The HTTP headers of every export request so far (logs and metrics, accepted or rejected), in
   * arrival order: names lower-cased, the first value of each, plus {@link #PATH_KEY} for the
   * request path ({@code /v1/logs} or {@code /v1/metrics}). For checking configured headers such as
   * API keys, per signal.
   */
  public List<Map<String, String>> requestHeaders() {
    return List.copyOf(requestHeaders);
  }

  @Override
  public List<ExportLogsServiceRequest> logRequests() {
    return List.copyOf(logRequests);
  }

  @Override
  public List<ExportMetricsServiceRequest> metricRequests() {
    return List.copyOf(metricRequests);
  }

  private void handleLogs(HttpExchange exchange) throws IOException {
    byte[] body = readBody(exchange);
    recordHeaders(exchange);
    if (rejectIfUnavailable(exchange)) {
      return;
    }
    try {
      ExportLogsServiceRequest request = ExportLogsServiceRequest.parseFrom(body);
      if (invalidLogs.test(request)) {
        rejectAsInvalid(exchange);
        return;
      }
      if (keepRequests) {
        logRequests.add(request);
      }
      decodedLogRecords.addAndGet(countLogRecords(request));
    } catch (InvalidProtocolBufferException e) {
      respond(exchange, 400, new byte[0]);
      return;
    }
    pauseBeforeAnswering();
    respond(exchange, 200, ExportLogsServiceResponse.getDefaultInstance().toByteArray());
  }

  private void handleMetrics(HttpExchange exchange) throws IOException {
    byte[] body = readBody(exchange);
    recordHeaders(exchange);
    if (rejectIfUnavailable(exchange)) {
      return;
    }
    if (body.length > maxRequestBytes) {
      rejectedRequests.incrementAndGet();
      respond(exchange, 413, new byte[0]);
      return;
    }
    try {
      ExportMetricsServiceRequest request = ExportMetricsServiceRequest.parseFrom(body);
      if (invalidMetrics.test(request)) {
        rejectAsInvalid(exchange);
        return;
      }
      if (keepRequests) {
        metricRequests.add(request);
      }
      apiGatewayPoints.addAndGet(OtlpExportRequests.apiGatewayPointCount(request));
      largestMetricRequest.accumulateAndGet(body.length, Math::max);
    } catch (InvalidProtocolBufferException e) {
      respond(exchange, 400, new byte[0]);
      return;
    }
    pauseBeforeAnswering();
    respond(exchange, 200, ExportMetricsServiceResponse.getDefaultInstance().toByteArray());
  }

  private void recordHeaders(HttpExchange exchange) {
    Map<String, String> headers = new TreeMap<>();
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              if (!values.isEmpty()) {
                headers.put(name.toLowerCase(Locale.ROOT), values.get(0));
              }
            });
    headers.put(PATH_KEY, exchange.getRequestURI().getPath());
    requestHeaders.add(Map.copyOf(headers));
  }

  private static long countLogRecords(ExportLogsServiceRequest request) {
    long records = 0;
    for (ResourceLogs resourceLogs : request.getResourceLogsList()) {
      for (ScopeLogs scopeLogs : resourceLogs.getScopeLogsList()) {
        records += scopeLogs.getLogRecordsCount();
      }
    }
    return records;
  }

  private boolean rejectIfUnavailable(HttpExchange exchange) throws IOException {
    int status = unavailableStatus;
    if (status == 0) {
      return false;
    }
    rejectedRequests.incrementAndGet();
    respond(exchange, status, new byte[0]);
    return true;
  }

  private void rejectAsInvalid(HttpExchange exchange) throws IOException {
    rejectedRequests.incrementAndGet();
    respond(exchange, 400, new byte[0]);
  }

  /** The simulated slowness of a backend, after it stored the request. */
  private void pauseBeforeAnswering() {
    Duration delay = responseDelay;
    if (!delay.isZero()) {
      try {
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static byte[] readBody(HttpExchange exchange) throws IOException {
    InputStream in = exchange.getRequestBody();
    if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
      in = new GZIPInputStream(in);
    }
    try (InputStream body = in) {
      // One exact-size read when the length is known: readAllBytes grows and copies its buffer
      // several times for a multi-megabyte export.
      String length = exchange.getRequestHeaders().getFirst("Content-Length");
      if (length != null && !(in instanceof GZIPInputStream)) {
        int size = Integer.parseInt(length.strip());
        byte[] bytes = body.readNBytes(size);
        if (bytes.length == size && body.read() < 0) {
          return bytes;
        }
        throw new IOException("request body does not match its Content-Length " + size);
      }
      return body.readAllBytes();
    }
  }

  private void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      threads.awaitAllEnded(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
