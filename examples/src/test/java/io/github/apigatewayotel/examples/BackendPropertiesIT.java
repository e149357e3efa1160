package io.github.apigatewayotel.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import io.github.apigatewayotel.testing.otlp.ReceivedMetric;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.io.Reader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every {@code examples/backends/*.properties} file drives the demo jar ({@code --once}: the
 * standalone host against the simulated account) as written, except that its endpoints point at a
 * loopback receiver: the data arrives, with the headers the file configures for each signal and the
 * temporality it asks for.
 */
class BackendPropertiesIT {

  private static final List<String> SIGNALS = List.of("logs", "metrics");

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"opentelemetry-collector", "grafana-cloud", "datadog", "honeycomb"})
  void sendsLogsAndMetricsWithTheConfiguredHeaders(String backend) throws Exception {
    Properties file = load(backend);
    assertThat(file.getProperty("otel.exporter.otlp.protocol")).isEqualTo("http/protobuf");
    assertThat(file.stringPropertyNames())
        .as("OpenTelemetry properties are not variable-expanded")
        .allMatch(key -> !file.getProperty(key).contains("${"));
    assertThat(endpointKeys(file)).isNotEmpty();

    try (OtlpTestReceiver receiver = OtlpTestReceiver.start()) {
      List<String> jvmArgs = new ArrayList<>();
      for (String key : file.stringPropertyNames()) {
        String value =
            endpointKeys(file).contains(key) ? loopback(receiver, key) : file.getProperty(key);
        jvmArgs.add("-D" + key + "=" + value);
      }
      try (ChildJvm host =
          ChildJvm.start(jvmArgs, List.of("-jar", ItPaths.demoJar().toString(), "--once"), dir)) {
        int exitCode = host.waitFor(90);
        assertThat(exitCode).as(host.output()).isZero();
      }
      assertThat(receiver.logRecords()).isNotEmpty();
      assertThat(receiver.metrics()).isNotEmpty();

      for (String signal : SIGNALS) {
        Map<String, String> expected = headersFor(file, signal);
        List<Map<String, String>> requests =
            receiver.requestHeaders().stream()
                .filter(headers -> ("/v1/" + signal).equals(headers.get(OtlpTestReceiver.PATH_KEY)))
                .toList();
        assertThat(requests).as("%s requests", signal).isNotEmpty();
        for (Map<String, String> headers : requests) {
          assertThat(headers).as("%s request headers", signal).containsAllEntriesOf(expected);
        }
      }
      assertTemporality(file, receiver.metrics());
    }
  }

  /**
   * Datadog asks for delta: counters and histograms come as deltas; otherwise as cumulative sums.
   */
  private static void assertTemporality(Properties file, List<ReceivedMetric> metrics) {
    boolean delta =
        "delta"
            .equalsIgnoreCase(
                file.getProperty("otel.exporter.otlp.metrics.temporality.preference"));
    List<AggregationTemporality> temporalities = new ArrayList<>();
    for (ReceivedMetric received : metrics) {
      Metric metric = received.metric();
      if (metric.hasSum() && metric.getSum().getIsMonotonic()) {
        temporalities.add(metric.getSum().getAggregationTemporality());
      } else if (metric.hasHistogram()) {
        temporalities.add(metric.getHistogram().getAggregationTemporality());
      }
    }
    assertThat(temporalities).as("monotonic sums and histograms").isNotEmpty();
    assertThat(temporalities)
        .containsOnly(
            delta
                ? AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA
                : AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
  }

  private static List<String> endpointKeys(Properties file) {
    List<String> keys = new ArrayList<>();
    for (String key :
        List.of(
            "otel.exporter.otlp.endpoint",
            "otel.exporter.otlp.logs.endpoint",
            "otel.exporter.otlp.metrics.endpoint")) {
      if (file.getProperty(key) != null) {
        keys.add(key);
      }
    }
    return keys;
  }

  /** The receiver's base URL; per-signal endpoints are full URLs, used as they are. */
  private static String loopback(OtlpTestReceiver receiver, String key) {
    for (String signal : SIGNALS) {
      if (key.equals("otel.exporter.otlp." + signal + ".endpoint")) {
        return receiver.endpoint() + "/v1/" + signal;
      }
    }
    return receiver.endpoint();
  }

  /** The signal's own headers if the file has them, else the general ones; names lower-cased. */
  private static Map<String, String> headersFor(Properties file, String signal) {
    String value = file.getProperty("otel.exporter.otlp." + signal + ".headers");
    if (value == null) {
      value = file.getProperty("otel.exporter.otlp.headers", "");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (String entry : value.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      int equals = entry.indexOf('=');
      headers.put(
          entry.substring(0, equals).trim().toLowerCase(java.util.Locale.ROOT),
          URLDecoder.decode(entry.substring(equals + 1).trim(), StandardCharsets.UTF_8));
    }
    return headers;
  }

  private static Properties load(String backend) throws Exception {
    Path file =
        Path.of(System.getProperty("apigateway.examples.dir"), "backends", backend + ".properties");
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    }
    return properties;
  }
}
