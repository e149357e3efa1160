package io.github.apigatewayotel.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.apigatewayotel.examples.DemoSeries.Stream;
import io.github.apigatewayotel.examples.PrometheusServer.Sample;
import io.github.apigatewayotel.examples.ShippedQueries.Query;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone host runs the demo account with {@code otel.metrics.exporter=prometheus}, and a
 * real Prometheus server (Debian's 2.42) scrapes it every 2 seconds and evaluates the shipped alert
 * rules. Then: every series is in more than one scrape (none goes stale after one), no metric is
 * dropped for duplicate label sets, every counter grew by exactly the simulated account's value of
 * the last period and every gauge shows it; every panel query of the shipped Grafana dashboard and
 * every alert rule's expression returns data, with values that agree with the account's.
 */
class PrometheusBackendIT {

  /** The dashboard's variables as a user leaves them for the demo account; windows of 1 minute. */
  private static final Map<String, String> VARIABLES =
      Map.of(
          "account",
          DemoSeries.ACCOUNT_ID,
          "region",
          DemoSeries.REGION,
          "api",
          ".*",
          "api_id",
          ".*",
          "stage",
          ".+",
          "window",
          "1m");

  /**
   * Metrics a healthy demo run never has: the plugin's loss and AWS-trouble counters (their series
   * appear with the first event) and the access-log RED histograms of a later release. A query that
   * only reads these may return nothing, if Prometheus indeed has none of them.
   */
  private static final List<String> ABSENT_WHEN_HEALTHY =
      List.of(
          "apigateway_otel_receiver_aws_throttles_total",
              "apigateway_otel_receiver_aws_errors_total",
          "apigateway_otel_receiver_datapoints_dropped_total",
              "apigateway_otel_receiver_periods_skipped_total",
          "http_server_request_duration_seconds_bucket",
              "http_server_request_duration_seconds_count");

  /** A metric name in PromQL: the word before a selector's braces or a range. */
  private static final Pattern METRIC_NAME = Pattern.compile("\\b([a-zA-Z_:][\\w:]*)(?=[{\\[])");

  /**
   * The receiver's series: the bridge's request metrics from the demo's access logs share the
   * prefix ({@code aws_apigateway_requests_total}) but are not CloudWatch's.
   */
  private static final String RECEIVER_SERIES =
      "{__name__=~\"aws_apigateway_.+\",otel_scope_name=\"io.github.apigatewayotel.receiver\"}";

  @TempDir Path dir;

  private final DemoSeries demo = new DemoSeries();
  private final DemoExpectations expectations = new DemoExpectations(demo);

  @Test
  void prometheusScrapesTheDemoAndEveryShippedQueryAgreesWithTheAccount() throws Exception {
    PrometheusBinaries.prometheus();
    int port = freePort();
    try (ChildJvm host =
            ChildJvm.start(
                List.of(
                    "-Dotel.metrics.exporter=prometheus",
                    "-Dotel.exporter.prometheus.host=127.0.0.1",
                    "-Dotel.exporter.prometheus.port=" + port),
                List.of("-jar", ItPaths.demoJar().toString()),
                dir);
        PrometheusServer prometheus =
            PrometheusServer.start(
                dir, "127.0.0.1:" + port, List.of(ShippedQueries.file(ShippedQueries.RULES)))) {
      int streams = demo.streams().size();
      await()
          .atMost(Duration.ofSeconds(120))
          .untilAsserted(
              () ->
                  assertThat(
                          prometheus.ready()
                              && count(prometheus, "count(" + RECEIVER_SERIES + ")", Instant.now())
                                  == streams)
                      .as(
                          () ->
                              String.format(
                                  "Prometheus has all %d series of the demo; host:%n%s%nprometheus:%n%s",
                                  streams, host.outputForMessage(), prometheus.logForMessage()))
                      .isTrue());
      // Windows of 1 minute must not reach back to the first poll (10 periods at once); the
      // 5-minute
      // windows of the rules do, on purpose: they cover everything exported so far.
      Instant t = nextSecond40(Instant.now().plusSeconds(75));
      sleepUntil(t.plusSeconds(3));
      long period = t.getEpochSecond() / 60 * 60 - 60; // the last period exported 40 s ago

      SoftAssertions softly = new SoftAssertions();
      softly
          .assertThat(host.output())
          .as("host output")
          .doesNotContain("DuplicateLabels")
          .doesNotContain("Failed to convert")
          .contains("scrape http://127.0.0.1:" + port + "/metrics")
          .contains("Grafana dashboard examples/grafana/apigateway-otel-dashboard.json")
          .contains("Prometheus alert rules examples/prometheus/apigateway-otel-rules.yml");
      Path repository =
          ShippedQueries.file(ShippedQueries.DASHBOARD)
              .toAbsolutePath()
              .getParent()
              .getParent()
              .getParent();
      softly
          .assertThat(repository.resolve("examples/grafana/apigateway-otel-dashboard.json"))
          .as("the file the demo names")
          .exists();
      softly
          .assertThat(repository.resolve("examples/prometheus/apigateway-otel-rules.yml"))
          .as("the file the demo names")
          .exists();
      softly
          .assertThat(prometheus.targets().path("activeTargets").get(0).path("health").asText())
          .as("scrape target health")
          .isEqualTo("up");
      List<Sample> scrapesPerSeries =
          prometheus.samplesPerSeries(RECEIVER_SERIES, Duration.ofMinutes(5), t);
      softly.assertThat(scrapesPerSeries).as("series").hasSize(streams);
      softly
          .assertThat(scrapesPerSeries)
          .as("series in one scrape only (count_over_time(x[5m]) = 1)")
          .filteredOn(series -> series.value() <= 1)
          .isEmpty();
      softly
          .assertThat(scrapesPerSeries.stream().mapToDouble(Sample::value).min().orElse(0))
          .as("fewest scrapes of a series in 5 minutes")
          .isGreaterThan(10);
      everySeriesHoldsTheAccountsValues(prometheus, t, period, softly);
      everyPanelAgrees(prometheus, t, period, softly);
      everyVariableListsTheAccount(prometheus, t, softly);
      softly.check(
          () ->
              everyRuleAgrees(
                  prometheus, t, firstExportedPeriod(prometheus, t, period), period, softly));
      softly.assertAll();
    }
  }

  /** Counters grew by the account's value of {@code period} in its minute; gauges show it. */
  private void everySeriesHoldsTheAccountsValues(
      PrometheusServer prometheus, Instant t, long period, SoftAssertions softly) throws Exception {
    Map<String, Double> now = byStream(prometheus.query(RECEIVER_SERIES, t));
    Map<String, Double> minuteBefore =
        byStream(prometheus.query(RECEIVER_SERIES, t.minusSeconds(60)));
    int checked = 0;
    for (Stream stream : demo.streams()) {
      String key = key(stream);
      Double value = now.get(key);
      softly.assertThat(value).as("scraped %s", key).isNotNull();
      if (value == null) {
        continue;
      }
      double expected = demo.value(stream, period);
      if (stream.counter()) {
        Double before = minuteBefore.get(key);
        softly.assertThat(before).as("scraped a minute earlier %s", key).isNotNull();
        if (before != null) {
          softly
              .assertThat(value - before)
              .as("%s grew by its period %d", key, period)
              .isCloseTo(expected, within(expected, 1e-9, 1e-6));
        }
      } else {
        softly
            .assertThat(value)
            .as("%s shows its period %d", key, period)
            .isCloseTo(expected, within(expected, 1e-9, 1e-6));
      }
      checked++;
    }
    softly.assertThat(checked).as("series checked").isEqualTo(demo.streams().size());
  }

  /**
   * Every Prometheus panel query returns data (or only reads metrics a healthy run never has) that
   * agrees with the account; the answers, rendered as text, go to target/dashboard-capture.txt.
   */
  private void everyPanelAgrees(
      PrometheusServer prometheus, Instant t, long period, SoftAssertions softly) throws Exception {
    List<Query> queries = ShippedQueries.prometheusPanelQueries();
    softly.assertThat(queries).as("panel queries").hasSizeGreaterThan(30);
    softly
        .assertThat(ShippedQueries.otherPanels())
        .as("panels not checked here (no Loki)")
        .containsExactly("Access logs (Loki)");
    JsonNode dashboard = ShippedQueries.dashboard();
    DashboardCapture capture =
        new DashboardCapture(
            dashboard.path("title").asText()
                + ": the shipped dashboard's queries, answered by Prometheus 2.42 scraping the standalone host's demo"
                + "\n(otel.metrics.exporter=prometheus), account "
                + VARIABLES.get("account")
                + ", "
                + VARIABLES.get("region")
                + ", every API and stage, window "
                + VARIABLES.get("window")
                + ", at "
                + t
                + "; captured by PrometheusBackendIT");
    int withData = 0;
    for (JsonNode panel : dashboard.path("panels")) {
      if (panel.path("type").asText().equals("row")) {
        capture.row(panel.path("title").asText());
        continue;
      }
      if (!panel.path("datasource").path("type").asText().equals("prometheus")) {
        capture.notRendered(
            panel,
            "a "
                + panel.path("datasource").path("type").asText()
                + " panel (no Loki in this test; see docs/PROMETHEUS.md)");
        continue;
      }
      Map<String, List<Sample>> answers = new TreeMap<>();
      for (JsonNode target : panel.path("targets")) {
        Query query =
            new Query(
                panel.path("title").asText(),
                target.path("refId").asText(),
                target.path("expr").asText());
        String expr = ShippedQueries.substitute(query.expr(), VARIABLES);
        List<Sample> samples = prometheus.query(expr, t);
        answers.put(query.refId(), samples);
        String what = query.title() + " " + query.refId();
        if (samples.isEmpty()) {
          softly
              .assertThat(readsOnlyAbsentMetrics(prometheus, expr, t))
              .as("%s returned nothing: %s", what, expr)
              .isTrue();
          continue;
        }
        withData++;
        for (Sample sample : samples) {
          softly.assertThat(sample.value()).as("%s %s", what, sample.labels()).isFinite();
          DemoExpectations.Expectation expectation =
              expectations.panel(query, sample.labels(), period);
          if (expectation != null) {
            softly
                .assertThat(sample.value())
                .as("%s %s (expected %s)", what, sample.labels(), expectation)
                .isCloseTo(
                    expectation.value(),
                    within(expectation.value(), expectation.relative(), expectation.absolute()));
          }
        }
      }
      capture.panel(panel, answers);
    }
    softly
        .assertThat(withData)
        .as("panel queries with data")
        .isGreaterThanOrEqualTo(queries.size() - 8);
    java.nio.file.Files.writeString(
        ItPaths.buildDirectory().resolve("dashboard-capture.txt"), capture.toString());
  }

  /** The dashboard's variables list the demo's account, region, APIs and stages. */
  private void everyVariableListsTheAccount(
      PrometheusServer prometheus, Instant t, SoftAssertions softly) throws Exception {
    Pattern labelValues = Pattern.compile("label_values\\((.+),\\s*(\\w+)\\)");
    Set<String> apiNames = new HashSet<>();
    Set<String> apiIds = new HashSet<>();
    Set<String> stages = new HashSet<>();
    demo.streams()
        .forEach(
            s -> {
              apiNames.add(s.api().name());
              apiIds.add(s.api().id());
              if (!s.stage().isEmpty()) {
                stages.add(s.stage());
              }
            });
    Map<String, Set<String>> expected =
        Map.of(
            "account",
            Set.of(DemoSeries.ACCOUNT_ID),
            "region",
            Set.of(DemoSeries.REGION),
            "api",
            apiNames,
            "api_id",
            apiIds,
            "stage",
            stages);
    List<Query> variables = ShippedQueries.variableQueries();
    softly
        .assertThat(variables)
        .extracting(Query::title)
        .containsExactlyInAnyOrderElementsOf(expected.keySet());
    for (Query variable : variables) {
      Matcher matcher = labelValues.matcher(variable.expr());
      softly.assertThat(matcher.matches()).as("%s: %s", variable.title(), variable.expr()).isTrue();
      if (!matcher.matches()) {
        continue;
      }
      String label = matcher.group(2);
      String promql =
          "count by ("
              + label
              + ") ("
              + ShippedQueries.substitute(matcher.group(1), VARIABLES)
              + ")";
      Set<String> values = new HashSet<>();
      prometheus.query(promql, t).stream()
          .map(sample -> sample.labels().get(label))
          .filter(java.util.Objects::nonNull)
          .forEach(values::add); // label_values lists what is set
      softly
          .assertThat(values)
          .as("variable %s", variable.title())
          .isEqualTo(expected.get(variable.title()));
    }
  }

  /**
   * Every alert rule is evaluated without error, and what it compares returns data that agrees with
   * the account (its 5- and 10-minute windows cover everything exported so far).
   */
  private void everyRuleAgrees(
      PrometheusServer prometheus, Instant t, long first, long last, SoftAssertions softly)
      throws Exception {
    List<Query> rules = ShippedQueries.alertRules();
    JsonNode groups = prometheus.rules().path("groups");
    int evaluated = 0;
    for (JsonNode group : groups) {
      for (JsonNode rule : group.path("rules")) {
        softly
            .assertThat(rule.path("health").asText())
            .as("rule %s: %s", rule.path("name").asText(), rule.path("lastError").asText())
            .isEqualTo("ok");
        evaluated++;
      }
    }
    softly.assertThat(evaluated).as("rules Prometheus evaluates").isEqualTo(rules.size());
    for (Query rule : rules) {
      String quantity = ShippedQueries.quantity(rule.expr());
      List<Sample> samples = prometheus.query(quantity, t);
      if (samples.isEmpty()) {
        softly
            .assertThat(readsOnlyAbsentMetrics(prometheus, quantity, t))
            .as("%s returned nothing: %s", rule.title(), quantity)
            .isTrue();
        continue;
      }
      for (Sample sample : samples) {
        DemoExpectations.Expectation expectation =
            expectations.rule(rule.title(), sample.labels(), first, last);
        if (expectation != null) {
          softly
              .assertThat(sample.value())
              .as("%s %s (expected %s)", rule.title(), sample.labels(), expectation)
              .isCloseTo(
                  expectation.value(),
                  within(expectation.value(), expectation.relative(), expectation.absolute()));
        }
      }
    }
  }

  /**
   * The first period the host exported: the one from which the account's Count of a stage adds up
   * to its counter (the first poll reads the lookback, ten periods, at once).
   */
  private long firstExportedPeriod(PrometheusServer prometheus, Instant t, long last)
      throws Exception {
    Stream stage = demo.stages("Count", "Sum").get(0);
    Map<String, Double> totals = byStream(prometheus.query(stage.prometheusName(), t));
    assertThat(totals)
        .as("Prometheus has %s at %s (not gone stale)", key(stage), t)
        .containsKey(key(stage));
    double total = totals.get(key(stage));
    for (long first = last; first > last - 3600; first -= DemoSeries.PERIOD) {
      if (Math.abs(demo.sum(stage, first, last) - total) < 1e-6) {
        return first;
      }
    }
    throw new AssertionError("no first period adds up to " + total + " for " + key(stage));
  }

  /**
   * Whether {@code expr} reads only metrics a healthy demo never has, and Prometheus indeed has
   * none of them: then returning nothing is right.
   */
  private static boolean readsOnlyAbsentMetrics(PrometheusServer prometheus, String expr, Instant t)
      throws Exception {
    Matcher matcher = METRIC_NAME.matcher(expr);
    boolean any = false;
    while (matcher.find()) {
      String name = matcher.group(1);
      if (!ABSENT_WHEN_HEALTHY.contains(name)) {
        return false;
      }
      if (!prometheus.query("count(" + name + ")", t).isEmpty()) {
        return false;
      }
      any = true;
    }
    return any;
  }

  /** Samples keyed as {@link #key(Stream)} does. */
  private Map<String, Double> byStream(List<Sample> samples) {
    Map<String, Double> values = new HashMap<>();
    for (Sample sample : samples) {
      Stream stream = demo.stream(sample.labels().get("__name__"), sample.labels());
      if (stream != null) {
        values.put(key(stream), sample.value());
      }
    }
    return values;
  }

  private static String key(Stream stream) {
    return stream.prometheusName()
        + "{"
        + stream.api().name()
        + ","
        + stream.stage()
        + ","
        + stream.route()
        + "}";
  }

  private static org.assertj.core.data.Offset<Double> within(
      double expected, double relative, double absolute) {
    return org.assertj.core.data.Offset.offset(Math.max(absolute, Math.abs(expected) * relative));
  }

  private static double count(PrometheusServer prometheus, String promql, Instant t) {
    try {
      List<Sample> samples = prometheus.query(promql, t);
      return samples.isEmpty() ? 0 : samples.get(0).value();
    } catch (IOException | AssertionError e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The first instant at or after {@code from} that is 40 seconds past a minute. */
  static Instant nextSecond40(Instant from) {
    long minute = from.getEpochSecond() / 60 * 60;
    long candidate = minute + 40;
    return Instant.ofEpochSecond(candidate >= from.getEpochSecond() ? candidate : candidate + 60);
  }

  private static void sleepUntil(Instant instant) throws InterruptedException {
    long millis = Duration.between(Instant.now(), instant).toMillis();
    if (millis > 0) {
      Thread.sleep(millis);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
