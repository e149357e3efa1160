package io.github.apigatewayotel.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.apigatewayotel.testing.aws.ApiGatewaySimulator;
import io.github.apigatewayotel.testing.aws.CloudWatchLogsSimulator;
import io.github.apigatewayotel.testing.aws.CloudWatchSimulator;
import io.github.apigatewayotel.testing.aws.FakeAwsServer;
import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import io.github.apigatewayotel.testing.aws.StsSimulator;
import io.github.apigatewayotel.testing.aws.TaggingSimulator;
import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The plugin in an SDK-autoconfigure host whose every logger is at FINEST, with temporary
 * credentials (a session token), polling metrics and reading access logs through the AWS SDK's own
 * (not relocated) classes: nothing any logger is handed holds the access key id, the secret key or
 * the session token, not even the JDK's HTTP client that carries the AWS requests. Also when the
 * logging configuration is read again after the plugin started.
 */
class CredentialsAtFineTest {

  private static final String ACCESS_KEY_ID = "AKIAFAKESECRET000001";
  private static final String SECRET_KEY = "fakeSecretKeyValue/DoNotLeak";
  private static final String SESSION_TOKEN = "FAKE-SESSION-TOKEN-DO-NOT-LEAK";
  private static final List<String> SECRETS = List.of(ACCESS_KEY_ID, SECRET_KEY, SESSION_TOKEN);
  private static final String REGION = "eu-west-1";
  private static final String ACCOUNT = "123456789012";

  private final TemporarySystemProperties properties = new TemporarySystemProperties();
  private final Capture capture = new Capture();
  private final Logger root = Logger.getLogger("");

  @AfterEach
  void restore() throws Exception {
    properties.restore();
    root.removeHandler(capture);
    LogManager.getLogManager().readConfiguration(); // the JVM's defaults again
  }

  @Test
  void noLoggerIsHandedAwsCredentialsWithEveryLoggerAtFinest() throws Exception {
    everyLoggerAtFinest();
    assertNothingLeaksWhilePolling();
  }

  @Test
  void aRereadLoggingConfigurationCannotTurnThemBackOn() throws Exception {
    everyLoggerAtFinest();
    try (Polling polling = Polling.start(properties)) {
      polling.awaitAwsCalls(1, capture);
      // The host reads its logging configuration again: every level is reset to FINEST.
      LogManager.getLogManager()
          .readConfiguration(
              new ByteArrayInputStream(
                  (".level=FINEST\nsun.net.www.protocol.http.HttpURLConnection.level=FINEST\n")
                      .getBytes(StandardCharsets.ISO_8859_1)));
      root.addHandler(capture);
      capture.clear();
      polling.awaitAwsCalls(polling.awsCalls() + 6, capture);
      assertNoSecretIn(capture.text());
      assertThat(
              Logger.getLogger("sun.net.www.protocol.http.HttpURLConnection")
                  .isLoggable(Level.FINE))
          .isFalse();
    }
  }

  private void everyLoggerAtFinest() throws Exception {
    LogManager.getLogManager()
        .readConfiguration(
            new ByteArrayInputStream(".level=FINEST\n".getBytes(StandardCharsets.ISO_8859_1)));
    root.addHandler(capture);
  }

  private void assertNothingLeaksWhilePolling() throws Exception {
    try (Polling polling = Polling.start(properties)) {
      polling.awaitAwsCalls(8, capture);
      polling.awaitExports();
    }
    String text = capture.text();
    // Not vacuous: the AWS SDK did log its requests at FINE, and the OTLP exporter ran.
    assertThat(text).contains("Sending Request");
    assertNoSecretIn(text);
  }

  private static void assertNoSecretIn(String text) {
    for (String secret : SECRETS) {
      assertThat(text).doesNotContain(secret).doesNotContain(secret.substring(0, 8));
    }
  }

  /** The plugin polling a simulated account, metrics and access logs, until closed. */
  private static final class Polling implements AutoCloseable {
    private final FakeAwsServer aws;
    private final OtlpTestReceiver otlp;
    private final OpenTelemetrySdk sdk;

    private Polling(FakeAwsServer aws, OtlpTestReceiver otlp, OpenTelemetrySdk sdk) {
      this.aws = aws;
      this.otlp = otlp;
      this.sdk = sdk;
    }

    static Polling start(TemporarySystemProperties properties) throws Exception {
      properties.set("aws.accessKeyId", ACCESS_KEY_ID);
      properties.set("aws.secretAccessKey", SECRET_KEY);
      properties.set("aws.sessionToken", SESSION_TOKEN);
      SimulatedAccount account = SimulatedAccount.demo(ACCOUNT, REGION, 3);
      CloudWatchLogsSimulator logs = new CloudWatchLogsSimulator(ACCOUNT);
      long minuteAgo = System.currentTimeMillis() - 60_000;
      for (int i = 0; i < 20; i++) {
        logs.putLogEvent(
            "api-gateway-pets", "stream", minuteAgo + i, "{\"requestId\":\"r" + i + "\"}");
      }
      FakeAwsServer aws =
          FakeAwsServer.start()
              .register(new CloudWatchSimulator(account))
              .register(new ApiGatewaySimulator(account))
              .register(new TaggingSimulator(account))
              .register(new StsSimulator(account))
              .register(logs);
      OtlpTestReceiver otlp = OtlpTestReceiver.start();
      Map<String, String> config =
          Map.ofEntries(
              Map.entry("otel.service.name", "credentials-at-fine-test"),
              Map.entry("otel.traces.exporter", "none"),
              Map.entry("otel.exporter.otlp.protocol", "http/protobuf"),
              Map.entry("otel.exporter.otlp.endpoint", otlp.endpoint()),
              Map.entry("otel.metric.export.interval", "500"),
              Map.entry("otel.blrp.schedule.delay", "100"),
              Map.entry("otel.apigateway.regions", REGION),
              Map.entry("otel.apigateway.aws.endpoint", aws.endpoint().toString()),
              Map.entry("otel.apigateway.metrics.delay", "0s"),
              Map.entry("otel.apigateway.metrics.lookback", "5m"),
              Map.entry("otel.apigateway.metrics.interval", "1s"),
              Map.entry("otel.apigateway.logs.lookback", "10m"),
              Map.entry("otel.apigateway.logs.interval", "1s"));
      OpenTelemetrySdk sdk =
          AutoConfiguredOpenTelemetrySdk.builder()
              .addPropertiesSupplier(() -> config)
              .build()
              .getOpenTelemetrySdk();
      return new Polling(aws, otlp, sdk);
    }

    long awsCalls() {
      return aws.requestCount("GetMetricData")
          + aws.requestCount("FilterLogEvents")
          + aws.requestCount("GetCallerIdentity");
    }

    void awaitAwsCalls(long calls, Capture capture) {
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(awsCalls())
                      .as(() -> "AWS calls made; logged:%n" + capture.tail())
                      .isGreaterThanOrEqualTo(calls));
    }

    void awaitExports() {
      await("logs and metrics exported")
          .atMost(Duration.ofSeconds(60))
          .until(() -> !otlp.logRecords().isEmpty() && !otlp.metrics().isEmpty());
    }

    @Override
    public void close() {
      sdk.shutdown().join(10, TimeUnit.SECONDS);
      otlp.close();
      aws.close();
    }
  }

  /** Every record any logger hands to the root's handlers, formatted as a console would. */
  private static final class Capture extends Handler {
    private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
    private final SimpleFormatter formatter = new SimpleFormatter();

    Capture() {
      setLevel(Level.ALL);
    }

    @Override
    public void publish(LogRecord record) {
      lines.add(record.getLoggerName() + " " + formatter.format(record));
    }

    String text() {
      return String.join("", lines);
    }

    /** The last records, for failure messages. */
    String tail() {
      String text = text();
      return text.substring(Math.max(0, text.length() - 20_000));
    }

    void clear() {
      lines.clear();
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
