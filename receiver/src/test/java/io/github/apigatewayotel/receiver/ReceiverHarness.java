package io.github.apigatewayotel.receiver;

import io.github.apigatewayotel.receiver.internal.PendingPoints;
import io.github.apigatewayotel.testing.aws.ApiGatewaySimulator;
import io.github.apigatewayotel.testing.aws.CloudWatchSimulator;
import io.github.apigatewayotel.testing.aws.FakeAwsServer;
import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import io.github.apigatewayotel.testing.aws.SimulatedOrganization;
import io.github.apigatewayotel.testing.aws.StsSimulator;
import io.github.apigatewayotel.testing.aws.TaggingSimulator;
import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import io.github.apigatewayotel.testing.otlp.ReceivedMetric;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The real wire end to end: AWS SDK clients against the simulated account on FakeAwsServer, the
 * receiver's producer registered in a real SdkMeterProvider, exported by the real OTLP/HTTP
 * exporter to OtlpTestReceiver. The clock is the test's.
 *
 * <p>A JUnit extension: {@code @RegisterExtension final ReceiverHarness harness =
 * ReceiverHarness.demo();} gives each test its own, closed after the test (receivers, meter
 * providers, servers) whether it passed or not. A second one (a reference run) is opened in
 * try-with-resources.
 */
final class ReceiverHarness implements AfterEachCallback, AutoCloseable {

  static final String REGION = "eu-west-1";
  static final String ACCOUNT = "123456789012";
  static final Instant START = Instant.parse("2026-11-24T10:00:30Z");

  final MutableClock clock = new MutableClock(START);
  final SimulatedAccount account;
  final FakeAwsServer aws;
  final CloudWatchSimulator cloudWatch;
  final StsSimulator sts;
  final OtlpTestReceiver otlp;
  private final List<AutoCloseable> opened = new ArrayList<>();
  private boolean closed;

  /** One decoded point with its metric. */
  record Point(Metric metric, NumberDataPoint point, Map<String, String> attributes) {
    String name() {
      return metric.getName();
    }
  }

  ReceiverHarness(SimulatedAccount account) throws IOException {
    this.account = account;
    account.setClock(clock::instant);
    aws = FakeAwsServer.start();
    cloudWatch = new CloudWatchSimulator(account);
    sts = new StsSimulator(account);
    aws.register(cloudWatch)
        .register(new ApiGatewaySimulator(account))
        .register(new TaggingSimulator(account))
        .register(sts);
    otlp = OtlpTestReceiver.start();
  }

  /** The seeded demo account; unchecked, so that it can initialize an extension field. */
  static ReceiverHarness demo() {
    try {
      return new ReceiverHarness(SimulatedAccount.demo(ACCOUNT, REGION, 42));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Every account of {@code org} on the test's clock; the receiver's own credentials are the home
   * account's.
   */
  ReceiverHarness(SimulatedOrganization org) throws IOException {
    this.account = org.home();
    org.accounts().values().forEach(member -> member.setClock(clock::instant));
    aws = org.serveOn(FakeAwsServer.start());
    cloudWatch = org.cloudWatch(account.accountId());
    sts = org.sts();
    otlp = OtlpTestReceiver.start();
  }

  /**
   * A builder wired to the simulation: static test credentials, the test clock, instant retries,
   * and pieces not cut by their number of points (ExportPiecesTest covers the pieces). A piece is
   * still cut at about 3 MiB of OTLP ({@link PendingPoints#MAX_EXPORT_BYTES}, about 8,800 points of
   * the demo account), so {@link Exported#flush} collects until nothing is left.
   */
  ApiGatewayMetricsReceiverBuilder receiverBuilder() {
    return ApiGatewayMetricsReceiver.builder()
        .maxExportPoints(Integer.MAX_VALUE)
        .addRegion(REGION)
        .endpointOverride(aws.endpoint())
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
        .clock(clock)
        .retries(4, Duration.ofMillis(1), Duration.ofMillis(5));
  }

  /** A receiver registered in its own meter provider exporting to the OTLP receiver. */
  Exported export(ApiGatewayMetricsReceiver receiver) {
    return export(receiver, exporter -> exporter);
  }

  /** As {@link #export(ApiGatewayMetricsReceiver)}, the OTLP exporter wrapped by {@code wrap}. */
  Exported export(
      ApiGatewayMetricsReceiver receiver,
      java.util.function.UnaryOperator<io.opentelemetry.sdk.metrics.export.MetricExporter> wrap) {
    SdkMeterProvider provider =
        SdkMeterProvider.builder()
            .registerMetricReader(
                PeriodicMetricReader.builder(
                        wrap.apply(
                            OtlpHttpMetricExporter.builder()
                                .setEndpoint(otlp.endpoint() + "/v1/metrics")
                                .setRetryPolicy(null)
                                .build())) // a failed export fails at once
                    .setInterval(Duration.ofHours(1)) // flushed by hand
                    .build())
            .registerMetricProducer(receiver.metricProducer())
            .build();
    Exported exported = new Exported(receiver, provider);
    opened.add(exported);
    return exported;
  }

  final class Exported implements AutoCloseable {
    final ApiGatewayMetricsReceiver receiver;
    final SdkMeterProvider provider;

    Exported(ApiGatewayMetricsReceiver receiver, SdkMeterProvider provider) {
      this.receiver = receiver;
      this.provider = provider;
    }

    /** Polls once and pushes what it produced through the OTLP exporter. */
    PollSummary pollAndExport() {
      PollSummary summary = receiver.pollOnce();
      flush();
      return summary;
    }

    /**
     * Collects and exports piece after piece until the receiver holds no point, as the reader
     * lanes' backlog flusher does for the plugin; stops early when a collection left as many points
     * as before (its export failed: they wait for the next flush).
     */
    void flush() {
      PendingPoints pending = (PendingPoints) receiver.metricProducer();
      int before;
      do {
        before = pending.size();
        provider.forceFlush().join(10, TimeUnit.SECONDS);
      } while (pending.size() > 0 && pending.size() < before);
    }

    @Override
    public void close() {
      receiver.close();
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  /** Every point received so far (receiver's own metrics excluded). */
  List<Point> points() {
    List<Point> points = new ArrayList<>();
    for (ReceivedMetric received : otlp.metrics()) {
      Metric metric = received.metric();
      if (!metric.getName().startsWith("aws.apigateway.")) {
        continue;
      }
      List<NumberDataPoint> dataPoints =
          metric.hasSum()
              ? metric.getSum().getDataPointsList()
              : metric.getGauge().getDataPointsList();
      for (NumberDataPoint p : dataPoints) {
        points.add(new Point(metric, p, attributes(p.getAttributesList())));
      }
    }
    return points;
  }

  static Map<String, String> attributes(List<KeyValue> keyValues) {
    Map<String, String> map = new TreeMap<>();
    for (KeyValue kv : keyValues) {
      map.put(kv.getKey(), kv.getValue().getStringValue());
    }
    return map;
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    close();
  }

  /** Closes what it opened; again is a no-op (a test may close it before its extension does). */
  @Override
  public void close() throws Exception {
    if (closed) {
      return;
    }
    closed = true;
    for (AutoCloseable c : opened) {
      c.close();
    }
    otlp.close();
    aws.close();
  }
}
