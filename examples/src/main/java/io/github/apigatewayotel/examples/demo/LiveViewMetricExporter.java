package io.github.apigatewayotel.examples.demo;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.util.Collection;

/**
 * Receives what the SDK would send over OTLP and adds the API Gateway metrics the live view shows
 * (requests, errors, p99) to its table. Everything else (the plugin's own counters) is ignored.
 */
final class LiveViewMetricExporter implements MetricExporter {

  private final LiveViewTable table;

  LiveViewMetricExporter(LiveViewTable table) {
    this.table = table;
  }

  @Override
  public CompletableResultCode export(Collection<MetricData> metrics) {
    long points = 0;
    for (MetricData metric : metrics) {
      points += metric.getData().getPoints().size();
      String name = metric.getName();
      boolean isSum =
          LiveViewTable.REQUEST_METRICS.contains(name)
              || LiveViewTable.CLIENT_ERROR_METRICS.contains(name)
              || LiveViewTable.SERVER_ERROR_METRICS.contains(name);
      boolean isP99 =
          name.equals(LiveViewTable.P99_METRIC)
              || name.equals(LiveViewTable.INTEGRATION_P99_METRIC);
      if (isSum) {
        addSums(metric);
      } else if (isP99) {
        addGauges(metric);
      }
    }
    table.exportFinished(points);
    return CompletableResultCode.ofSuccess();
  }

  private void addSums(MetricData metric) {
    switch (metric.getType()) {
      case DOUBLE_SUM -> {
        SumData<DoublePointData> sum = metric.getDoubleSumData();
        boolean cumulative = sum.getAggregationTemporality() == AggregationTemporality.CUMULATIVE;
        for (DoublePointData point : sum.getPoints()) {
          table.addSum(
              metric.getName(),
              point.getAttributes(),
              point.getValue(),
              cumulative,
              point.getEpochNanos());
        }
      }
      case LONG_SUM -> {
        SumData<LongPointData> sum = metric.getLongSumData();
        boolean cumulative = sum.getAggregationTemporality() == AggregationTemporality.CUMULATIVE;
        for (LongPointData point : sum.getPoints()) {
          table.addSum(
              metric.getName(),
              point.getAttributes(),
              point.getValue(),
              cumulative,
              point.getEpochNanos());
        }
      }
      default -> {
        // Not a sum under a sum's name: nothing the view can show.
      }
    }
  }

  private void addGauges(MetricData metric) {
    switch (metric.getType()) {
      case DOUBLE_GAUGE -> {
        for (DoublePointData point : metric.getDoubleGaugeData().getPoints()) {
          table.addGauge(
              metric.getName(), point.getAttributes(), point.getValue(), point.getEpochNanos());
        }
      }
      case LONG_GAUGE -> {
        for (LongPointData point : metric.getLongGaugeData().getPoints()) {
          table.addGauge(
              metric.getName(), point.getAttributes(), point.getValue(), point.getEpochNanos());
        }
      }
      default -> {
        // Not a gauge under a gauge's name: nothing the view can show.
      }
    }
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
    return AggregationTemporality.DELTA;
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    return CompletableResultCode.ofSuccess();
  }
}
