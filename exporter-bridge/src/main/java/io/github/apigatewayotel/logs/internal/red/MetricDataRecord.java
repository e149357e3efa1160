package io.github.apigatewayotel.logs.internal.red;

import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.Data;
import io.opentelemetry.sdk.metrics.data.HistogramData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.resources.Resource;
import java.util.Collection;
import java.util.List;

/**
 * Immutable metric data: one metric and its points (our own, for the same reason as the others).
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
record MetricDataRecord(
    Resource resource,
    InstrumentationScopeInfo scope,
    String name,
    String description,
    String unit,
    MetricDataType type,
    Data<?> data)
    implements MetricData {

  static MetricDataRecord histogram(
      Resource resource,
      InstrumentationScopeInfo scope,
      String name,
      String description,
      String unit,
      AggregationTemporality temporality,
      List<HistogramPointData> points) {
    return new MetricDataRecord(
        resource,
        scope,
        name,
        description,
        unit,
        MetricDataType.HISTOGRAM,
        new Histogram(temporality, List.copyOf(points)));
  }

  static MetricDataRecord monotonicLongSum(
      Resource resource,
      InstrumentationScopeInfo scope,
      String name,
      String description,
      String unit,
      AggregationTemporality temporality,
      List<LongPointData> points) {
    return new MetricDataRecord(
        resource,
        scope,
        name,
        description,
        unit,
        MetricDataType.LONG_SUM,
        new LongSum(temporality, List.copyOf(points)));
  }

  @Override
  public Resource getResource() {
    return resource;
  }

  @Override
  public InstrumentationScopeInfo getInstrumentationScopeInfo() {
    return scope;
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public String getDescription() {
    return description;
  }

  @Override
  public String getUnit() {
    return unit;
  }

  @Override
  public MetricDataType getType() {
    return type;
  }

  @Override
  public Data<?> getData() {
    return data;
  }

  private record Histogram(AggregationTemporality temporality, List<HistogramPointData> points)
      implements HistogramData {
    @Override
    public AggregationTemporality getAggregationTemporality() {
      return temporality;
    }

    @Override
    public Collection<HistogramPointData> getPoints() {
      return points;
    }
  }

  private record LongSum(AggregationTemporality temporality, List<LongPointData> points)
      implements SumData<LongPointData> {
    @Override
    public boolean isMonotonic() {
      return true;
    }

    @Override
    public AggregationTemporality getAggregationTemporality() {
      return temporality;
    }

    @Override
    public Collection<LongPointData> getPoints() {
      return points;
    }
  }
}
