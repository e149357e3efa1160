package io.github.apigatewayotel.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.Attributes;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveViewTableTest {

  private static final Attributes STAGE =
      Attributes.builder()
          .put(TelemetryAttributes.API_ID, "a1b2c3d4e5")
          .put(TelemetryAttributes.API_NAME, "pets-api")
          .put(TelemetryAttributes.API_TYPE, "rest")
          .put(TelemetryAttributes.STAGE, "prod")
          .build();

  private static final Attributes GET_PETS =
      STAGE.toBuilder()
          .put(TelemetryAttributes.METHOD, "GET")
          .put(TelemetryAttributes.HTTP_ROUTE, "/pets")
          .build();

  private final LiveViewTable table = new LiveViewTable();

  @Test
  void deltaSumsAddUpAndCumulativeSumsReplace() {
    table.addSum("aws.apigateway.count", STAGE, 10, false, 1_000_000_000L);
    table.addSum("aws.apigateway.count", STAGE, 5, false, 1_000_000_000L);
    table.addSum("aws.apigateway.4xxerror", STAGE, 7, true, 1_000_000_000L);
    table.addSum("aws.apigateway.4xxerror", STAGE, 9, true, 1_000_000_000L);

    LiveViewTable.Row row = only(table.snapshot().rows());
    assertThat(row.requests()).isEqualTo(15);
    assertThat(row.clientErrors()).isEqualTo(9);
    assertThat(row.apiName()).isEqualTo("pets-api");
  }

  @Test
  void theLatestP99ByPointTimeWinsWhateverTheArrivalOrder() {
    table.addGauge(LiveViewTable.P99_METRIC, GET_PETS, 120, 2_000);
    table.addGauge(LiveViewTable.P99_METRIC, GET_PETS, 999, 1_000);

    assertThat(only(table.snapshot().rows()).p99Millis()).isEqualTo(120);
  }

  @Test
  void aRowWasLastUpdatedAtItsNewestDataNotWhenThatDataArrived() {
    table.addSum("aws.apigateway.count", GET_PETS, 1, true, 5_000_000_000L);
    table.addGauge(LiveViewTable.P99_METRIC, GET_PETS, 100, 3_000_000_000L);

    assertThat(only(table.snapshot().rows()).lastUpdateMillis()).isEqualTo(5_000);
  }

  @Test
  void logRecordsThatArrivedBeforeTheirRouteRowStillDateIt() {
    table.addLogRecord(GET_PETS, 9_000_000_000L);
    table.addSum("aws.apigateway.count", GET_PETS, 1, true, 5_000_000_000L);

    assertThat(table.snapshot().rows())
        .extracting(LiveViewTable.Row::lastUpdateMillis)
        .containsExactly(9_000L, 9_000L);
  }

  @Test
  void webSocketRowsFallBackToIntegrationLatencyAndSumTheirErrorKinds() {
    Attributes connect =
        Attributes.builder()
            .put(TelemetryAttributes.API_ID, "w5s5k5t5c5")
            .put(TelemetryAttributes.STAGE, "production")
            .put(TelemetryAttributes.ROUTE_KEY, "$connect")
            .build();
    table.addGauge(LiveViewTable.INTEGRATION_P99_METRIC, connect, 42, 1);
    table.addSum("aws.apigateway.execution_error.sum", connect, 2, false, 1_000_000_000L);
    table.addSum("aws.apigateway.integration_error.sum", connect, 3, false, 1_000_000_000L);

    LiveViewTable.Row row = only(table.snapshot().rows());
    assertThat(row.key().route()).isEqualTo("$connect");
    assertThat(row.p99Millis()).isEqualTo(42);
    assertThat(row.serverErrors()).isEqualTo(5);
  }

  @Test
  void logLinesCountOnTheirStageAndRouteAndACatchAllRouteTakesEveryMethod() {
    Attributes anyProxy =
        STAGE.toBuilder()
            .put(TelemetryAttributes.METHOD, "_OTHER")
            .put(TelemetryAttributes.METHOD_ORIGINAL, "ANY")
            .put(TelemetryAttributes.HTTP_ROUTE, "/{proxy+}")
            .build();
    table.addSum("aws.apigateway.count", anyProxy, 1, false, 1_000_000_000L);
    table.addSum("aws.apigateway.count", GET_PETS, 1, false, 1_000_000_000L);
    table.addLogRecord(GET_PETS, 1_000_000_000L);
    table.addLogRecord(GET_PETS, 1_000_000_000L);
    table.addLogRecord(
        STAGE.toBuilder()
            .put(TelemetryAttributes.METHOD, "POST")
            .put(TelemetryAttributes.HTTP_ROUTE, "/{proxy+}")
            .build(),
        1_000_000_000L);

    List<LiveViewTable.Row> rows = table.snapshot().rows();
    assertThat(rows)
        .extracting(row -> row.key().route())
        .containsExactly(null, "ANY /{proxy+}", "GET /pets");
    assertThat(rows).extracting(LiveViewTable.Row::logLines).containsExactly(3L, 1L, 2L);
  }

  @Test
  void aCatchAllRouteIsDatedByTheSameLinesItCounts() {
    Attributes anyProxy =
        STAGE.toBuilder()
            .put(TelemetryAttributes.METHOD, "_OTHER")
            .put(TelemetryAttributes.METHOD_ORIGINAL, "ANY")
            .put(TelemetryAttributes.HTTP_ROUTE, "/{proxy+}")
            .build();
    table.addSum("aws.apigateway.count", anyProxy, 1, false, 1_000_000_000L);
    // Its log lines name the method each request used, newer than its last metric period.
    table.addLogRecord(
        STAGE.toBuilder()
            .put(TelemetryAttributes.METHOD, "GET")
            .put(TelemetryAttributes.HTTP_ROUTE, "/{proxy+}")
            .build(),
        7_000_000_000L);

    LiveViewTable.Row catchAll = table.snapshot().rows().get(1);
    assertThat(catchAll.key().route()).isEqualTo("ANY /{proxy+}");
    assertThat(catchAll.logLines()).isEqualTo(1);
    assertThat(catchAll.lastUpdateMillis()).isEqualTo(7_000L);
  }

  @Test
  void apiLevelSeriesAndForeignMetricsHaveNoRow() {
    table.addSum(
        "aws.apigateway.count",
        STAGE.toBuilder().remove(TelemetryAttributes.STAGE).build(),
        1,
        false,
        1_000_000_000L);
    table.addSum("aws.apigateway.count", Attributes.empty(), 1, false, 1_000_000_000L);

    assertThat(table.snapshot().rows()).isEmpty();
  }

  @Test
  void theRendererKeepsColumnsAlignedForWideCharacters() {
    Attributes korean = STAGE.toBuilder().put(TelemetryAttributes.API_NAME, "주문-API").build();
    table.addSum("aws.apigateway.count", korean, 1234, false, 1_000_000_000L);
    table.addSum(
        "aws.apigateway.count",
        STAGE.toBuilder().put(TelemetryAttributes.API_ID, "b").build(),
        5,
        false,
        1_000_000_000L);

    List<String> lines =
        new LiveViewRenderer("test", List.of())
            .render(table.snapshot(), Instant.ofEpochSecond(3), "");
    List<String> rows = lines.subList(lines.size() - 2, lines.size());
    assertThat(rows.get(0)).contains("주문-API").contains("1,234");
    assertThat(TextColumns.width(rows.get(0))).isEqualTo(TextColumns.width(rows.get(1)));
    assertThat(TextColumns.width("주문-API")).isEqualTo(8);
  }

  private static LiveViewTable.Row only(List<LiveViewTable.Row> rows) {
    assertThat(rows).hasSize(1);
    return rows.get(0);
  }
}
