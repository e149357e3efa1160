package io.github.apigatewayotel.testing.otlp;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An OTLP/gRPC receiver on loopback: a real grpc-java server implementing the official OTLP {@code
 * LogsService} and {@code MetricsService} (the classes generated into opentelemetry-proto), so the
 * SDK's gRPC exporters talk to it exactly as to a Collector. It can be told to answer every export
 * with an error status for a while ({@link #answerWith}), to simulate a backend outage. Messages
 * are limited to gRPC's default 4 MiB, as on a Collector with default settings.
 *
 * <p>It runs on its own event loops and executor, and {@link #close()} ends all their threads
 * before returning.
 */
public final class OtlpGrpcTestReceiver implements OtlpBackend {

  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

  private final Server server;
  private final EventLoopGroup eventLoops;
  private final ExecutorService executor;
  private final ReceiverThreads threads;
  private final List<ExportLogsServiceRequest> logRequests = new CopyOnWriteArrayList<>();
  private final List<ExportMetricsServiceRequest> metricRequests = new CopyOnWriteArrayList<>();
  private final AtomicInteger rejectedRequests = new AtomicInteger();

  /** Null while accepting. */
  private volatile Status.Code refusal;

  private volatile Predicate<ExportLogsServiceRequest> invalidLogs = request -> false;
  private volatile Predicate<ExportMetricsServiceRequest> invalidMetrics = request -> false;
  private volatile Duration responseDelay = Duration.ZERO;

  private OtlpGrpcTestReceiver(ReceiverThreads threads) throws IOException {
    this.threads = threads;
    // One event loop both accepts and serves: loopback test traffic needs no more.
    this.eventLoops = new MultiThreadIoEventLoopGroup(1, threads, NioIoHandler.newFactory());
    this.executor = Executors.newFixedThreadPool(2, threads);
    this.server =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .channelType(NioServerSocketChannel.class)
            .bossEventLoopGroup(eventLoops)
            .workerEventLoopGroup(eventLoops)
            .executor(executor)
            .addService(new LogsEndpoint())
            .addService(new MetricsEndpoint())
            .build();
    try {
      server.start();
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Starts a receiver on an ephemeral loopback port. */
  public static OtlpGrpcTestReceiver start() throws IOException {
    return new OtlpGrpcTestReceiver(new ReceiverThreads("otlp-grpc-test-receiver"));
  }

  /** The URL to put in {@code otel.exporter.otlp.endpoint}, e.g. {@code http://127.0.0.1:4317}. */
  public String endpoint() {
    return "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + server.getPort();
  }

  /**
   * While {@code code} is set, every export is answered with that gRPC status and not recorded;
   * {@code null} or {@link Status.Code#OK} accepts again. {@link Status.Code#UNAVAILABLE} is what a
   * Collector answers when it cannot take data, and what exporters retry.
   */
  public void answerWith(Status.Code code) {
    this.refusal = code == Status.Code.OK ? null : code;
  }

  @Override
  public String protocol() {
    return "grpc";
  }

  /** Answers every export with {@code UNAVAILABLE} while {@code refusing}, as in an outage. */
  @Override
  public void refuse(boolean refusing) {
    answerWith(refusing ? Status.Code.UNAVAILABLE : null);
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

  private boolean rejectAsInvalid(StreamObserver<?> responses) {
    rejectedRequests.incrementAndGet();
    responses.onError(
        Status.INVALID_ARGUMENT.withDescription("simulated poison record").asRuntimeException());
    return true;
  }

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

  /** Export calls answered with an error status so far, logs and metrics together. */
  public int rejectedRequests() {
    return rejectedRequests.get();
  }

  @Override
  public List<ExportLogsServiceRequest> logRequests() {
    return List.copyOf(logRequests);
  }

  @Override
  public List<ExportMetricsServiceRequest> metricRequests() {
    return List.copyOf(metricRequests);
  }

  /** Answers with the refusal status and returns true while refusing; else returns false. */
  private boolean rejectIfRefusing(StreamObserver<?> responses) {
    Status.Code code = refusal;
    if (code == null) {
      return false;
    }
    rejectedRequests.incrementAndGet();
    responses.onError(
        Status.fromCode(code).withDescription("simulated backend outage").asRuntimeException());
    return true;
  }

  /**
   * Stops the server at once (calls in flight are cancelled), then its event loop and executor, and
   * waits, boundedly, until all their threads have ended.
   */
  @Override
  public void close() {
    try {
      server.shutdownNow();
      server.awaitTermination(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      eventLoops.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      executor.shutdownNow();
      eventLoops.awaitTermination(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      executor.awaitTermination(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      threads.awaitAllEnded(SHUTDOWN_TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final class LogsEndpoint extends LogsServiceGrpc.LogsServiceImplBase {
    @Override
    public void export(
        ExportLogsServiceRequest request, StreamObserver<ExportLogsServiceResponse> responses) {
      if (rejectIfRefusing(responses)
          || (invalidLogs.test(request) && rejectAsInvalid(responses))) {
        return;
      }
      logRequests.add(request);
      pauseBeforeAnswering();
      responses.onNext(ExportLogsServiceResponse.getDefaultInstance());
      responses.onCompleted();
    }
  }

  private final class MetricsEndpoint extends MetricsServiceGrpc.MetricsServiceImplBase {
    @Override
    public void export(
        ExportMetricsServiceRequest request,
        StreamObserver<ExportMetricsServiceResponse> responses) {
      if (rejectIfRefusing(responses)
          || (invalidMetrics.test(request) && rejectAsInvalid(responses))) {
        return;
      }
      metricRequests.add(request);
      pauseBeforeAnswering();
      responses.onNext(ExportMetricsServiceResponse.getDefaultInstance());
      responses.onCompleted();
    }
  }
}
