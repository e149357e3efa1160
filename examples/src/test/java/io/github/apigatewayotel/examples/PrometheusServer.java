package io.github.apigatewayotel.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server (the Debian package's binary) for end-to-end tests: on loopback, its
 * storage in a temporary directory, retention bounded, scraping one target every 2 seconds and
 * evaluating the given rule files; stopped (and killed if it lingers) on {@link #close}.
 */
final class PrometheusServer implements AutoCloseable {

  static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(2);

  /** One sample of a query's answer. */
  record Sample(Map<String, String> labels, double value) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path log;
  private final URI api;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private PrometheusServer(Process process, Path log, URI api) {
    this.process = process;
    this.log = log;
    this.api = api;
  }

  /**
   * Starts Prometheus scraping {@code target} ({@code host:port}) and evaluating {@code ruleFiles}.
   */
  static PrometheusServer start(Path dir, String target, List<Path> ruleFiles) throws IOException {
    int port = freePort();
    StringBuilder config =
        new StringBuilder()
            .append("global:\n")
            .append("  scrape_interval: ")
            .append(SCRAPE_INTERVAL.toSeconds())
            .append("s\n")
            .append("  evaluation_interval: ")
            .append(SCRAPE_INTERVAL.toSeconds())
            .append("s\n")
            .append("rule_files:\n");
    for (Path rules : ruleFiles) {
      config.append("  - '").append(rules.toAbsolutePath()).append("'\n");
    }
    config
        .append("scrape_configs:\n")
        .append("  - job_name: apigateway-otel\n")
        .append("    static_configs:\n")
        .append("      - targets: ['")
        .append(target)
        .append("']\n");
    Path configFile = Files.writeString(dir.resolve("prometheus.yml"), config);
    Path log = dir.resolve("prometheus.log");
    Process process =
        new ProcessBuilder(
                PrometheusBinaries.prometheus().toString(),
                "--config.file=" + configFile,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--storage.tsdb.retention.time=1h",
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    return new PrometheusServer(process, log, URI.create("http://127.0.0.1:" + port + "/api/v1/"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** The instant query's samples at {@code time}; fails if Prometheus answers with an error. */
  List<Sample> query(String promql, Instant time) throws IOException, InterruptedException {
    JsonNode answer =
        get(
            "query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&time="
                + time.getEpochSecond()
                + "."
                + String.format("%03d", time.getNano() / 1_000_000));
    assertThat(answer.path("status").asText()).as("%s: %s", promql, answer).isEqualTo("success");
    JsonNode data = answer.path("data");
    List<Sample> samples = new ArrayList<>();
    if (data.path("resultType").asText().equals("scalar")) {
      samples.add(new Sample(Map.of(), Double.parseDouble(data.path("result").get(1).asText())));
      return samples;
    }
    for (JsonNode result : data.path("result")) {
      Map<String, String> labels = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = result.path("metric").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> label = it.next();
        labels.put(label.getKey(), label.getValue().asText());
      }
      samples.add(new Sample(labels, Double.parseDouble(result.path("value").get(1).asText())));
    }
    return samples;
  }

  /**
   * How many samples each series of {@code selector} has in the {@code range} before {@code time}
   * (a range query answered as a matrix), by its labels (the name included).
   */
  List<Sample> samplesPerSeries(String selector, Duration range, Instant time)
      throws IOException, InterruptedException {
    String promql = selector + "[" + range.toSeconds() + "s]";
    JsonNode answer =
        get(
            "query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&time="
                + time.getEpochSecond());
    assertThat(answer.path("status").asText()).as("%s: %s", promql, answer).isEqualTo("success");
    List<Sample> counts = new ArrayList<>();
    for (JsonNode result : answer.path("data").path("result")) {
      Map<String, String> labels = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = result.path("metric").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> label = it.next();
        labels.put(label.getKey(), label.getValue().asText());
      }
      counts.add(new Sample(labels, result.path("values").size()));
    }
    return counts;
  }

  /** The answer of {@code /api/v1/rules}: every rule group, with each rule's health. */
  JsonNode rules() throws IOException, InterruptedException {
    return get("rules").path("data");
  }

  /** The answer of {@code /api/v1/targets}. */
  JsonNode targets() throws IOException, InterruptedException {
    return get("targets").path("data");
  }

  /** Whether the HTTP API answers yet. */
  boolean ready() {
    try {
      return get("status/buildinfo").path("status").asText().equals("success");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  String log() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  /** {@link #log()} for a failure message: a log that cannot be read says so instead. */
  String logForMessage() {
    try {
      return log();
    } catch (IOException e) {
      return "(Prometheus's log cannot be read: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
