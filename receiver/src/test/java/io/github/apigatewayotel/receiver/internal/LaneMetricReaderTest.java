package io.github.apigatewayotel.receiver.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.DefaultAggregationSelector;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricExporter;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A wrapped reader is the host's reader, but for the lane its collections run in. */
class LaneMetricReaderTest {

  private final ReaderLanes lanes = new ReaderLanes();

  @Test
  void everyReaderMethodIsTheWrappedReaders() {
    InMemoryMetricReader host =
        InMemoryMetricReader.builder()
            .setAggregationTemporalitySelector(AggregationTemporalitySelector.deltaPreferred())
            .setDefaultAggregationSelector(
                DefaultAggregationSelector.getDefault()
                    .with(InstrumentType.COUNTER, Aggregation.drop()))
            .setMemoryMode(MemoryMode.REUSABLE_DATA)
            .build();
    LaneMetricReader wrapped = new LaneMetricReader(host, lanes);
    assertThat(wrapped.getAggregationTemporality(InstrumentType.COUNTER))
        .isEqualTo(AggregationTemporality.DELTA);
    assertThat(wrapped.getDefaultAggregation(InstrumentType.COUNTER)).isEqualTo(Aggregation.drop());
    assertThat(wrapped.getMemoryMode()).isEqualTo(MemoryMode.REUSABLE_DATA);
    assertThat(wrapped).hasToString(host.toString());
    assertThat(wrapped.forceFlush().isSuccess()).isTrue();
  }

  @Test
  void eachWrappedReaderCollectsInItsOwnLaneAndAnUnwrappedOneInLaneZero() {
    List<Integer> seen = new ArrayList<>();
    InMemoryMetricReader a = InMemoryMetricReader.create();
    InMemoryMetricReader b = InMemoryMetricReader.create();
    InMemoryMetricReader unwrapped = InMemoryMetricReader.create();
    LaneMetricReader laneA = new LaneMetricReader(a, lanes);
    LaneMetricReader laneB = new LaneMetricReader(b, lanes);
    try (SdkMeterProvider provider =
        SdkMeterProvider.builder()
            .registerMetricReader(laneA)
            .registerMetricReader(laneB)
            .registerMetricReader(unwrapped)
            .registerMetricProducer(
                resource -> {
                  seen.add(lanes.collecting());
                  return List.of();
                })
            .build()) {
      b.collectAllMetrics();
      a.collectAllMetrics();
      unwrapped.collectAllMetrics();
      assertThat(seen).containsExactly(1, 0, 0);
    }
    assertThat(List.of(laneA.lane(), laneB.lane())).containsExactly(0, 1);
    assertThat(lanes.count()).isEqualTo(2);
    assertThat(lanes.collecting()).as("restored after each collection").isZero();
  }

  @Test
  void aPullReadersCollectionCountsAsItsExportAPeriodicReadersDoesNot() {
    LaneMetricReader pull = new LaneMetricReader(InMemoryMetricReader.create(), lanes);
    LaneMetricReader periodic =
        new LaneMetricReader(PeriodicMetricReader.create(InMemoryMetricExporter.create()), lanes);
    assertThat(lanes.collectionIsExport(pull.lane())).isTrue();
    assertThat(lanes.collectionIsExport(periodic.lane())).isFalse();
    periodic.shutdown();
  }

  @Test
  void aCollectionThatThrowsStillRestoresTheLane() {
    lanes.newLane();
    int lane = lanes.newLane();
    Integer inner =
        lanes.collectAs(
            lane,
            () -> {
              try {
                lanes.collectAs(
                    0,
                    () -> {
                      throw new IllegalStateException("collection failed");
                    });
              } catch (IllegalStateException expected) {
                // the outer lane must be back
              }
              return lanes.collecting();
            });
    assertThat(inner).isEqualTo(lane);
    assertThat(lanes.collecting()).isZero();
  }
}
