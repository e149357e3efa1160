package io.github.apigatewayotel.logs;

import io.github.apigatewayotel.testing.aws.CloudWatchLogsSimulator;
import io.github.apigatewayotel.testing.aws.FakeAwsServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * A simulated CloudWatch Logs on loopback, a real CloudWatchLogsClient pointed at it, and a real
 * SDK LoggerProvider/MeterProvider recording in memory, behind a real AccessLogBridge.
 */
final class CloudWatchLogsTestFixture implements AutoCloseable {

  static final String REGION = "eu-west-1";
  static final String ACCOUNT = "123456789012";
  static final long T0 = 1_700_000_000_000L;

  /** The SDK retries this many times in all; tests count the attempts that reach the server. */
  static final int SDK_MAX_ATTEMPTS = 3;

  final CloudWatchLogsSimulator logs = new CloudWatchLogsSimulator(ACCOUNT);
  final FakeAwsServer server;
  final CloudWatchLogsClient client;
  final InMemoryLogRecordExporter exported = InMemoryLogRecordExporter.create();
  final SdkLoggerProvider loggerProvider =
      SdkLoggerProvider.builder()
          .addLogRecordProcessor(SimpleLogRecordProcessor.create(exported))
          .build();
  final InMemoryMetricReader metricReader = InMemoryMetricReader.create();
  final SdkMeterProvider meterProvider =
      SdkMeterProvider.builder().registerMetricReader(metricReader).build();
  final AccessLogBridge bridge =
      AccessLogBridge.builder(loggerProvider)
          .setFormat(AccessLogFormat.defaultFormat())
          .setCloudRegion(REGION)
          .setCloudAccountId(ACCOUNT)
          .build();
  final MutableClock clock = new MutableClock(T0 + 60_000);

  CloudWatchLogsTestFixture() throws IOException {
    server = FakeAwsServer.start().register(logs);
    client =
        CloudWatchLogsClient.builder()
            .region(Region.of(REGION))
            .endpointOverride(server.endpoint())
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .overrideConfiguration(
                c ->
                    c.retryStrategy(
                        AwsRetryStrategy.standardRetryStrategy().toBuilder()
                            .maxAttempts(SDK_MAX_ATTEMPTS)
                            .backoffStrategy(BackoffStrategy.retryImmediately())
                            .throttlingBackoffStrategy(BackoffStrategy.retryImmediately())
                            .circuitBreakerEnabled(false)
                            .build()))
            .build();
  }

  /** A source reading through the fixture's client, clock and meter provider. */
  CloudWatchLogsSourceBuilder source() {
    return CloudWatchLogsSource.builder(bridge)
        .setClient(client)
        .setCloudRegion(REGION)
        .setCloudAccountId(ACCOUNT)
        .setMeterProvider(meterProvider)
        .setClock(clock)
        .setRandom(() -> 0.0);
  }

  /** An access-log line in the default (seed JSON) format, told apart by {@code requestId}. */
  static String line(String requestId, long epochMillis) {
    return "{\"apiId\":\"a1b2c3\",\"stage\":\"prod\",\"requestId\":\""
        + requestId
        + "\",\"ip\":\"203.0.113.7\",\"caller\":\"-\",\"user\":\"-\",\"requestTime\":"
        + epochMillis
        + ",\"httpMethod\":\"GET\",\"resourcePath\":\"/pets\",\"status\":200,"
        + "\"protocol\":\"HTTP/1.1\",\"responseLength\":42}";
  }

  /** Puts a line whose request id is {@code id} into a group at {@code timestamp}. */
  String put(String group, String stream, long timestamp, String id) {
    String message = line(id, timestamp);
    logs.putLogEvent(group, stream, timestamp, message);
    return message;
  }

  List<String> bodies() {
    return exported.getFinishedLogRecordItems().stream()
        .map(record -> record.getBodyValue().asString())
        .collect(Collectors.toList());
  }

  /** How many times each body was emitted. */
  Map<String, Long> bodyCounts() {
    return bodies().stream()
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }

  List<LogRecordData> records() {
    return exported.getFinishedLogRecordItems();
  }

  /** The sum of a counter over the points whose attributes include {@code attributes}. */
  long counter(String name, Attributes attributes) {
    long sum = 0;
    for (MetricData metric : metricReader.collectAllMetrics()) {
      if (!metric.getName().equals(name)) {
        continue;
      }
      for (LongPointData point : metric.getLongSumData().getPoints()) {
        if (containsAll(point.getAttributes(), attributes)) {
          sum += point.getValue();
        }
      }
    }
    return sum;
  }

  long counter(String name) {
    return counter(name, Attributes.empty());
  }

  private static boolean containsAll(Attributes actual, Attributes expected) {
    for (Map.Entry<AttributeKey<?>, Object> entry : expected.asMap().entrySet()) {
      if (!entry.getValue().equals(actual.get(entry.getKey()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    client.close();
    server.close();
    loggerProvider.close();
    meterProvider.close();
  }

  /** A clock that moves only when told to. */
  static final class MutableClock extends Clock {
    private final AtomicLong millis;

    MutableClock(long startMillis) {
      millis = new AtomicLong(startMillis);
    }

    void advanceMillis(long delta) {
      millis.addAndGet(delta);
    }

    void setMillis(long value) {
      millis.set(value);
    }

    @Override
    public long millis() {
      return millis.get();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
