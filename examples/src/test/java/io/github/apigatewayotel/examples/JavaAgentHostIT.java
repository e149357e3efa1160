package io.github.apigatewayotel.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.apigatewayotel.testing.aws.FakeAwsServer;
import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import io.github.apigatewayotel.testing.otlp.ReceivedMetric;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application with no OpenTelemetry code, run under the real OpenTelemetry Java agent with the
 * drop-in jar as {@code otel.javaagent.extensions}, sends every access-log line over OTLP.
 */
class JavaAgentHostIT {

  @TempDir Path dir;

  @Test
  void dropInJarAsAgentExtensionExportsEveryLineOverOtlp() throws Exception {
    Path accessLog = ItPaths.sampleAccessLog(dir);
    List<String> lines = ItPaths.lines(accessLog);
    try (OtlpTestReceiver receiver = OtlpTestReceiver.start();
        ChildJvm app =
            ChildJvm.start(
                ItHosts.concat(
                    agentWithExtension(receiver),
                    List.of(
                        "-Dotel.metrics.exporter=none",
                        "-Dotel.blrp.schedule.delay=100",
                        "-Dotel.apigateway.metrics.enabled=false",
                        "-Dotel.apigateway.logs.source=file:" + accessLog)),
                List.of(AgentApp.class.getName(), "60"),
                dir)) {
      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () ->
                  assertThat(receiver.logRecords().size())
                      .as(
                          () ->
                              String.format(
                                  "records arrived; child output:%n%s", app.outputForMessage()))
                      .isGreaterThanOrEqualTo(lines.size()));
      SampleLogAssertions.assertOneRecordPerLine(receiver.logRecords(), lines);
      assertThat(receiver.logRecords().get(0).resource().getAttributesList())
          .anySatisfy(kv -> assertThat(kv.getValue().getStringValue()).isEqualTo("agent-app"));
    }
  }

  @Test
  void dropInJarAsAgentExtensionPollsCloudWatchThroughItsOwnAwsSdk() throws Exception {
    SimulatedAccount account = SimulatedAccount.demo("123456789012", "ap-northeast-2", 3);
    try (FakeAwsServer aws = ItHosts.serve(account);
        OtlpTestReceiver receiver = OtlpTestReceiver.start();
        ChildJvm app =
            ChildJvm.start(
                ItHosts.concat(agentWithExtension(receiver), pollingMetricsOnly(aws)),
                List.of(AgentApp.class.getName(), "90"),
                ItHosts.AWS_CREDENTIALS,
                dir)) {
      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () ->
                  assertThat(apiTypes(receiver))
                      .as(
                          () ->
                              String.format(
                                  "metrics arrived; child output:%n%s", app.outputForMessage()))
                      .hasSize(3));
      assertThat(apiTypes(receiver)).containsExactlyInAnyOrder("rest", "http", "websocket");
    }
  }

  @Test
  void withAPrometheusReaderBesideOtlpBothGetEveryApiTypeWhileScraped() throws Exception {
    SimulatedAccount account = SimulatedAccount.demo("123456789012", "ap-northeast-2", 3);
    int prometheusPort;
    try (ServerSocket free = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      prometheusPort = free.getLocalPort();
    }
    URI scrape = URI.create("http://127.0.0.1:" + prometheusPort + "/metrics");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Set<String> scrapedTypes = new HashSet<>();
    try (FakeAwsServer aws = ItHosts.serve(account);
        OtlpTestReceiver receiver = OtlpTestReceiver.start();
        ChildJvm app =
            ChildJvm.start(
                ItHosts.concat(
                    agentWithExtension(receiver),
                    pollingMetricsOnly(aws),
                    List.of(
                        "-Dotel.metrics.exporter=otlp,prometheus",
                        // every series each minute (the 5-minute default reads a fifth of them a
                        // minute), so every API type reaches both readers within the run
                        "-Dotel.apigateway.metrics.interval=1m",
                        "-Dotel.exporter.prometheus.host=127.0.0.1",
                        "-Dotel.exporter.prometheus.port=" + prometheusPort)),
                List.of(AgentApp.class.getName(), "90"),
                ItHosts.AWS_CREDENTIALS,
                dir)) {
      // Scraped all along: before each reader had its own lane, a scrape took datapoints away
      // from the OTLP reader.
      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () -> {
                scrapedTypes.addAll(scrapeApiTypes(http, scrape));
                assertThat(apiTypes(receiver).size() == 3 && scrapedTypes.size() == 3)
                    .as(
                        () ->
                            String.format(
                                "OTLP %s, Prometheus %s; child output:%n%s",
                                apiTypes(receiver), scrapedTypes, app.outputForMessage()))
                    .isTrue();
              });
    }
  }

  /** The API types named by aws.apigateway.* samples of one Prometheus scrape; none if it fails. */
  private static Set<String> scrapeApiTypes(HttpClient http, URI scrape) {
    Set<String> types = new HashSet<>();
    try {
      String body =
          http.send(
                  HttpRequest.newBuilder(scrape).timeout(Duration.ofSeconds(5)).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      Matcher matcher = PROMETHEUS_API_TYPE.matcher(body);
      while (matcher.find()) {
        types.add(matcher.group(1));
      }
    } catch (IOException e) {
      // not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return types;
  }

  private static final Pattern PROMETHEUS_API_TYPE =
      Pattern.compile("(?m)^aws_apigateway_\\w+\\{[^}]*aws_apigateway_api_type=\"(\\w+)\"");

  /** The plugin polling the simulated account behind {@code aws} for metrics only. */
  private static List<String> pollingMetricsOnly(FakeAwsServer aws) {
    return List.of(
        "-Dotel.logs.exporter=none",
        "-Dotel.metric.export.interval=500",
        "-Dotel.apigateway.logs.enabled=false",
        "-Dotel.apigateway.regions=ap-northeast-2",
        "-Dotel.apigateway.aws.endpoint=" + aws.endpoint(),
        "-Dotel.apigateway.metrics.delay=0s",
        "-Dotel.apigateway.metrics.lookback=5m");
  }

  /** The real Java agent with the drop-in jar as its extension, exporting to {@code receiver}. */
  private static List<String> agentWithExtension(OtlpTestReceiver receiver) {
    return ItHosts.exportTo(
        receiver,
        "-javaagent:" + ItPaths.javaAgentJar(),
        "-Dotel.javaagent.extensions=" + ItPaths.dropInJar(),
        "-cp",
        ItPaths.examplesClasses().toString(),
        "-Dotel.service.name=agent-app");
  }

  /** The API types that the received aws.apigateway.* points name. */
  static Set<String> apiTypes(OtlpTestReceiver receiver) {
    return receiver.metrics().stream()
        .map(ReceivedMetric::metric)
        .filter(metric -> metric.getName().startsWith("aws.apigateway.") && metric.hasSum())
        .flatMap(metric -> metric.getSum().getDataPointsList().stream())
        .flatMap(point -> point.getAttributesList().stream())
        .filter(attribute -> attribute.getKey().equals("aws.apigateway.api.type"))
        .map(KeyValue::getValue)
        .map(value -> value.getStringValue())
        .collect(Collectors.toSet());
  }
}
