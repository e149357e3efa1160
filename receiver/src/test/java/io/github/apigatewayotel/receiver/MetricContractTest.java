package io.github.apigatewayotel.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import io.github.apigatewayotel.testing.aws.SimulatedAccount.ApiType;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every row of DESIGN.md's metric table, for REST, HTTP and WebSocket, over the real wire. */
class MetricContractTest {

  /** The contract, written out independently of the receiver's own catalog. */
  record Row(String statistic, String name, boolean sum, String unit) {}

  static final Map<String, List<Row>> CONTRACT = new HashMap<>();

  static void row(ApiType type, String metric, Row... rows) {
    CONTRACT.computeIfAbsent(type + "/" + metric, k -> new ArrayList<>()).addAll(List.of(rows));
  }

  static {
    row(ApiType.HTTP, "4xx", new Row("Sum", "aws.apigateway.4xx", true, "{error}"));
    row(ApiType.HTTP, "5xx", new Row("Sum", "aws.apigateway.5xx", true, "{error}"));
    row(ApiType.REST, "4XXError", new Row("Sum", "aws.apigateway.4xxerror", true, "{error}"));
    row(ApiType.REST, "5XXError", new Row("Sum", "aws.apigateway.5xxerror", true, "{error}"));
    row(
        ApiType.REST,
        "CacheHitCount",
        new Row("Sum", "aws.apigateway.cache_hit_count", true, "{request}"));
    row(
        ApiType.REST,
        "CacheMissCount",
        new Row("Sum", "aws.apigateway.cache_miss_count", true, "{request}"));
    row(ApiType.REST, "Count", new Row("Sum", "aws.apigateway.count", true, "{request}"));
    row(ApiType.HTTP, "Count", new Row("Sum", "aws.apigateway.count", true, "{request}"));
    row(ApiType.HTTP, "DataProcessed", new Row("Sum", "aws.apigateway.data_processed", true, "By"));
    String[][] ws = {
      {"ClientError", "client_error", "{error}"},
      {"ConnectCount", "connect_count", "{connection}"},
      {"ExecutionError", "execution_error", "{error}"},
      {"IntegrationError", "integration_error", "{error}"},
      {"MessageCount", "message_count", "{message}"}
    };
    for (String[] w : ws) {
      row(
          ApiType.WEBSOCKET,
          w[0],
          new Row("Average", "aws.apigateway." + w[1], false, w[2]),
          new Row("Sum", "aws.apigateway." + w[1] + ".sum", true, w[2]));
    }
    for (ApiType type : ApiType.values()) {
      row(
          type,
          "IntegrationLatency",
          new Row("Average", "aws.apigateway.integration_latency", false, "ms"),
          new Row("Maximum", "aws.apigateway.integration_latency.maximum", false, "ms"),
          new Row("Minimum", "aws.apigateway.integration_latency.minimum", false, "ms"),
          new Row("p90", "aws.apigateway.integration_latency.p90", false, "ms"),
          new Row("p95", "aws.apigateway.integration_latency.p95", false, "ms"),
          new Row("p99", "aws.apigateway.integration_latency.p99", false, "ms"));
    }
    for (ApiType type : List.of(ApiType.REST, ApiType.HTTP)) {
      List<Row> rows =
          new ArrayList<>(
              List.of(
                  new Row("Average", "aws.apigateway.latency", false, "ms"),
                  new Row("Maximum", "aws.apigateway.latency.maximum", false, "ms"),
                  new Row("Minimum", "aws.apigateway.latency.minimum", false, "ms")));
      for (String p : List.of("p50", "p75", "p90", "p95", "p99")) {
        rows.add(new Row(p, "aws.apigateway.latency." + p, false, "ms"));
      }
      row(type, "Latency", rows.toArray(new Row[0]));
    }
  }

  @RegisterExtension final ReceiverHarness harness = ReceiverHarness.demo();

  /** The identity of a point: metric, series dimensions and time. */
  static String identity(String name, Map<String, String> attrs, long startNanos, long timeNanos) {
    return name
        + "|"
        + attrs.get("aws.apigateway.api.id")
        + "|"
        + attrs.get("aws.apigateway.stage")
        + "|"
        + attrs.get("aws.apigateway.route_key")
        + "|"
        + attrs.get("http.request.method")
        + "|"
        + attrs.get("http.route")
        + "|"
        + startNanos
        + "|"
        + timeNanos;
  }

  @Test
  void everyRowOfTheContractIsExportedOnceWithItsCloudWatchValueTimeAndAttributes() {
    var exported =
        harness.export(
            harness
                .receiverBuilder()
                .aggregationTemporality(
                    io.opentelemetry.sdk.metrics.data.AggregationTemporality.DELTA)
                .build());
    PollSummary summary = exported.pollAndExport();

    assertThat(summary.windowStart()).isEqualTo(Instant.parse("2026-11-24T09:47:00Z"));
    assertThat(summary.windowEnd()).isEqualTo(Instant.parse("2026-11-24T09:57:00Z"));
    assertThat(summary.failedCalls()).isZero();

    Map<String, Double> expected = new HashMap<>();
    Map<String, Row> rowByName = new HashMap<>();
    for (SimulatedAccount.Series series : harness.account.series(ReceiverHarness.REGION)) {
      SimulatedAccount.Api api = harness.account.api(series.apiId());
      List<Row> rows = CONTRACT.get(api.type() + "/" + series.metricName());
      assertThat(rows).as("contract rows for %s %s", api.type(), series.metricName()).isNotNull();
      for (Row row : rows) {
        rowByName.put(row.name(), row);
        for (long t = summary.windowStart().getEpochSecond();
            t < summary.windowEnd().getEpochSecond();
            t += 60) {
          long start = TimeUnit.SECONDS.toNanos(t);
          long time = row.sum() ? TimeUnit.SECONDS.toNanos(t + 60) : start;
          Map<String, String> attrs = expectedIdentityAttributes(api, series);
          expected.put(
              identity(row.name(), attrs, start, time),
              harness.account.value(series, row.statistic(), t, 60));
        }
      }
    }
    // every row of the table is covered by the simulated account
    assertThat(rowByName.keySet()).hasSize(32);

    Map<String, Double> actual = new HashMap<>();
    for (ReceiverHarness.Point p : harness.points()) {
      Row row = rowByName.get(p.name());
      assertThat(row).as("unexpected metric %s", p.name()).isNotNull();
      assertThat(p.metric().getUnit()).as(p.name()).isEqualTo(row.unit());
      if (row.sum()) {
        assertThat(p.metric().hasSum()).as(p.name()).isTrue();
        assertThat(p.metric().getSum().getIsMonotonic()).isTrue();
        assertThat(p.metric().getSum().getAggregationTemporality())
            .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
      } else {
        assertThat(p.metric().hasGauge()).as(p.name()).isTrue();
      }
      String id =
          identity(
              p.name(),
              p.attributes(),
              p.point().getStartTimeUnixNano(),
              p.point().getTimeUnixNano());
      assertThat(actual.put(id, p.point().getAsDouble())).as("exported twice: %s", id).isNull();
    }
    assertThat(actual).isEqualTo(expected);
    assertThat(summary.pointsExported()).isEqualTo(expected.size());
    assertThat(summary.queries()).isEqualTo(harness.cloudWatch.queriesReceived());
  }

  static Map<String, String> expectedIdentityAttributes(
      SimulatedAccount.Api api, SimulatedAccount.Series series) {
    Map<String, String> attrs = new HashMap<>();
    Map<String, String> dims = series.dimensions();
    attrs.put("aws.apigateway.api.id", api.id());
    attrs.put("aws.apigateway.stage", dims.get("Stage"));
    String route = dims.get("Route");
    attrs.put("aws.apigateway.route_key", route);
    if (dims.containsKey("Method")) {
      attrs.put(
          "http.request.method", dims.get("Method").equals("ANY") ? "_OTHER" : dims.get("Method"));
      attrs.put("http.route", dims.get("Resource"));
    } else if (route != null && api.type() == ApiType.HTTP) {
      String method = route.substring(0, route.indexOf(' '));
      attrs.put("http.request.method", method.equals("ANY") ? "_OTHER" : method);
      attrs.put("http.route", route.substring(route.indexOf(' ') + 1));
    }
    return attrs;
  }

  @Test
  void pointsCarryTheAttributesOfTheContract() {
    var exported = harness.export(harness.receiverBuilder().build());
    exported.pollAndExport();
    List<ReceiverHarness.Point> points = harness.points();

    java.util.function.Function<Map<String, String>, Map<String, String>> find =
        want ->
            points.stream()
                .map(ReceiverHarness.Point::attributes)
                .filter(a -> a.equals(want))
                .findFirst()
                .orElse(null);

    // REST detailed metrics: ApiName,Method,Resource,Stage; name joined by discovery; stage tags
    // over API tags
    assertThat(
            find.apply(
                Map.ofEntries(
                    Map.entry("cloud.provider", "aws"),
                    Map.entry("cloud.region", "eu-west-1"),
                    Map.entry("cloud.account.id", "123456789012"),
                    Map.entry(
                        "cloud.resource_id",
                        "arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/stages/prod"),
                    Map.entry("aws.apigateway.api.type", "rest"),
                    Map.entry("aws.apigateway.api.id", "a1b2c3d4e5"),
                    Map.entry("aws.apigateway.api.name", "pets-api"),
                    Map.entry("aws.apigateway.stage", "prod"),
                    Map.entry("http.request.method", "GET"),
                    Map.entry("http.route", "/pets/{petId}"),
                    Map.entry("aws.tag.team", "pets"),
                    Map.entry("aws.tag.env", "prod"),
                    Map.entry("aws.tag.tier", "gold"))))
        .isNotNull();

    // HTTP route series ApiId,Stage,Route on $default: route key kept, method and route split
    assertThat(
            find.apply(
                Map.ofEntries(
                    Map.entry("cloud.provider", "aws"),
                    Map.entry("cloud.region", "eu-west-1"),
                    Map.entry("cloud.account.id", "123456789012"),
                    Map.entry(
                        "cloud.resource_id",
                        "arn:aws:apigateway:eu-west-1::/apis/h7t7p7a7p7/stages/$default"),
                    Map.entry("aws.apigateway.api.type", "http"),
                    Map.entry("aws.apigateway.api.id", "h7t7p7a7p7"),
                    Map.entry("aws.apigateway.api.name", "checkout-http"),
                    Map.entry("aws.apigateway.stage", "$default"),
                    Map.entry("aws.apigateway.route_key", "POST /checkout"),
                    Map.entry("http.request.method", "POST"),
                    Map.entry("http.route", "/checkout"),
                    Map.entry("aws.tag.team", "checkout"),
                    Map.entry("aws.tag.env", "prod"))))
        .isNotNull();

    // HTTP ANY route: method _OTHER with the original kept
    assertThat(points)
        .anyMatch(
            p ->
                "ANY /{proxy+}".equals(p.attributes().get("aws.apigateway.route_key"))
                    && "_OTHER".equals(p.attributes().get("http.request.method"))
                    && "ANY".equals(p.attributes().get("http.request.method_original"))
                    && "/{proxy+}".equals(p.attributes().get("http.route")));

    // WebSocket route: route key only, no HTTP attributes
    assertThat(
            find.apply(
                Map.ofEntries(
                    Map.entry("cloud.provider", "aws"),
                    Map.entry("cloud.region", "eu-west-1"),
                    Map.entry("cloud.account.id", "123456789012"),
                    Map.entry(
                        "cloud.resource_id",
                        "arn:aws:apigateway:eu-west-1::/apis/w5s5k5t5c5/stages/production"),
                    Map.entry("aws.apigateway.api.type", "websocket"),
                    Map.entry("aws.apigateway.api.id", "w5s5k5t5c5"),
                    Map.entry("aws.apigateway.api.name", "chat-ws"),
                    Map.entry("aws.apigateway.stage", "production"),
                    Map.entry("aws.apigateway.route_key", "$connect"),
                    Map.entry("aws.tag.team", "chat"),
                    Map.entry("aws.tag.env", "prod"))))
        .isNotNull();

    // API-level series: the API ARN, no stage
    assertThat(points)
        .anyMatch(
            p ->
                "arn:aws:apigateway:eu-west-1::/apis/q1w2e3r4t5"
                        .equals(p.attributes().get("cloud.resource_id"))
                    && !p.attributes().containsKey("aws.apigateway.stage"));

    // REST names with non-ASCII characters: CloudWatch's ApiName is "-API" and, for an all
    // non-ASCII name, the id; both are joined back to the real name and id
    assertThat(points)
        .filteredOn(p -> "k9x8w7v6u5".equals(p.attributes().get("aws.apigateway.api.id")))
        .isNotEmpty()
        .allMatch(p -> "주문-API".equals(p.attributes().get("aws.apigateway.api.name")));
    assertThat(points)
        .filteredOn(p -> "z0y1x2w3v4".equals(p.attributes().get("aws.apigateway.api.id")))
        .isNotEmpty()
        .allMatch(p -> "決済".equals(p.attributes().get("aws.apigateway.api.name")));
  }

  @Test
  void emptyTagPrefixGivesBareKeysAndFiltersSelectApis() {
    var exported =
        harness.export(
            harness
                .receiverBuilder()
                .tagAttributePrefix("")
                .includeTag("team", "pets")
                .includeApi("checkout-*")
                .excludeApi("q1w2e3r4t5")
                .build());
    exported.pollAndExport();
    List<ReceiverHarness.Point> points = harness.points();
    assertThat(points).isNotEmpty();
    assertThat(points)
        .extracting(p -> p.attributes().get("aws.apigateway.api.id"))
        .containsOnly("a1b2c3d4e5", "h7t7p7a7p7");
    assertThat(points)
        .allSatisfy(
            p -> assertThat(p.attributes()).containsKey("team").doesNotContainKey("aws.tag.team"));
  }

  @Test
  void detailedMetricsOffPollsOnlyApiAndStageSeries() {
    var exported = harness.export(harness.receiverBuilder().detailedMetrics(false).build());
    PollSummary summary = exported.pollAndExport();
    long expectedQueries =
        harness.account.series(ReceiverHarness.REGION).stream()
            .filter(
                s -> !s.dimensions().containsKey("Route") && !s.dimensions().containsKey("Method"))
            .mapToLong(
                s ->
                    CONTRACT
                        .get(harness.account.api(s.apiId()).type() + "/" + s.metricName())
                        .size())
            .sum();
    assertThat(summary.queries()).isEqualTo(expectedQueries);
    assertThat(harness.points())
        .isNotEmpty()
        .noneMatch(
            p ->
                p.attributes().containsKey("aws.apigateway.route_key")
                    || p.attributes().containsKey("http.route"));
  }
}
