package io.github.apigatewayotel.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class StreamedMetricsTest {

  private static final Map<String, Double> LATENCY =
      Map.of(
          "Sum",
          100.0,
          "SampleCount",
          4.0,
          "Average",
          25.0,
          "Maximum",
          40.0,
          "Minimum",
          10.0,
          "p99",
          39.0,
          "p42",
          1.0);

  /** An exporter whose every export ends as told, remembering what it was given. */
  private static final class ScriptedExporter implements MetricExporter {
    final List<MetricData> exported = new ArrayList<>();
    boolean succeed = true;

    @Override
    public CompletableResultCode export(Collection<MetricData> metrics) {
      exported.addAll(metrics);
      return succeed ? CompletableResultCode.ofSuccess() : CompletableResultCode.ofFailure();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
      return AggregationTemporality.DELTA;
    }
  }

  @Test
  void aBatchCompletesOnlyOnceTheExporterConfirmedEveryMetricOfIt() {
    MetricExportConfirmations confirmations = MetricExportConfirmations.create();
    ScriptedExporter exporter = new ScriptedExporter();
    MetricExporter wrapped = confirmations.wrap(exporter);
    StreamedMetrics metrics = StreamedMetrics.create("aws.tag.", confirmations);
    StreamedMetrics.Batch batch = metrics.newBatch();
    int points =
        batch.add(
            "123456789012",
            "us-east-1",
            "Latency",
            Map.of("ApiName", "pets-api", "Stage", "prod"),
            LATENCY,
            1_764_800_000L,
            60);
    assertThat(points)
        .isEqualTo(4); // Average, Maximum, Minimum, p99: p42 is in no row, Sum not for Latency
    CompletableFuture<Boolean> done = batch.submit();

    Collection<MetricData> collected = metrics.produce(Resource.empty());
    assertThat(collected).hasSize(4); // latency, .maximum, .minimum, .p99
    assertThat(done).isNotDone(); // collected is not exported

    wrapped.export(collected);
    assertThat(done).isCompletedWithValue(true);
    MetricData latency =
        exporter.exported.stream()
            .filter(m -> m.getName().equals("aws.apigateway.latency"))
            .findFirst()
            .orElseThrow();
    assertThat(latency.getDoubleGaugeData().getPoints())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getValue()).isEqualTo(25.0);
              assertThat(p.getAttributes().get(AttributeKey.stringKey("aws.apigateway.api.type")))
                  .isEqualTo("rest");
            });
  }

  @Test
  void aFailedExportCompletesTheBatchFalse() {
    MetricExportConfirmations confirmations = MetricExportConfirmations.create();
    ScriptedExporter exporter = new ScriptedExporter();
    exporter.succeed = false;
    StreamedMetrics metrics = StreamedMetrics.create("aws.tag.", confirmations);
    StreamedMetrics.Batch batch = metrics.newBatch();
    batch.add(
        "123456789012",
        "us-east-1",
        "Count",
        Map.of("ApiId", "h7t7p7a7p7", "Stage", "$default"),
        Map.of("Sum", 7.0),
        1_764_800_000L,
        60);
    CompletableFuture<Boolean> done = batch.submit();

    confirmations.wrap(exporter).export(metrics.produce(Resource.empty()));

    assertThat(done).isCompletedWithValue(false);
    assertThat(exporter.exported)
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.getName()).isEqualTo("aws.apigateway.count");
              assertThat(m.getDoubleSumData().getAggregationTemporality())
                  .isEqualTo(AggregationTemporality.DELTA);
            });
  }

  @Test
  void aWithdrawnBatchIsNeverCollected() {
    StreamedMetrics metrics =
        StreamedMetrics.create("aws.tag.", MetricExportConfirmations.create());
    StreamedMetrics.Batch batch = metrics.newBatch();
    batch.add(
        null,
        "us-east-1",
        "ConnectCount",
        Map.of("ApiId", "w5s5k5t5c5"),
        Map.of("Sum", 3.0, "Average", 1.0),
        1_764_800_000L,
        60);
    CompletableFuture<Boolean> done = batch.submit();

    assertThat(batch.withdraw()).isTrue();

    assertThat(done).isCompletedWithValue(false);
    assertThat(metrics.produce(Resource.empty())).isEmpty();
  }

  @Test
  void anUndiscoveredApiIdSeriesIsTypedByItsMetricAsThePollTypesIt() {
    StreamedMetrics metrics = StreamedMetrics.create("aws.tag.", null);
    StreamedMetrics.Batch batch = metrics.newBatch();
    batch.add(
        null,
        "us-east-1",
        "ConnectCount",
        Map.of("ApiId", "w5s5k5t5c5"),
        Map.of("Sum", 3.0, "Average", 1.0),
        1_764_800_000L,
        60);
    batch.add(
        null,
        "us-east-1",
        "NotInTheTable",
        Map.of("ApiId", "w5s5k5t5c5"),
        Map.of("Sum", 3.0),
        1_764_800_000L,
        60);
    batch.add(
        null,
        "us-east-1",
        "Count",
        Map.of("Stage", "prod"),
        Map.of("Sum", 3.0),
        1_764_800_000L,
        60);
    CompletableFuture<Boolean> done = batch.submit();

    Collection<MetricData> collected = metrics.produce(Resource.empty());

    assertThat(done).isCompletedWithValue(true); // without confirmations, collection counts
    assertThat(collected)
        .extracting(MetricData::getName)
        .containsExactlyInAnyOrder(
            "aws.apigateway.connect_count", "aws.apigateway.connect_count.sum");
    assertThat(
            collected
                .iterator()
                .next()
                .getData()
                .getPoints()
                .iterator()
                .next()
                .getAttributes()
                .get(AttributeKey.stringKey("aws.apigateway.api.type")))
        .isEqualTo("websocket");
  }
}
