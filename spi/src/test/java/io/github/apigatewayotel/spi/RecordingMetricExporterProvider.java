package io.github.apigatewayotel.spi;

import io.opentelemetry.api.incubator.config.DeclarativeConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.internal.ComponentProvider;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The metric exporter {@code recording_test} of the tests' declarative configurations. */
public final class RecordingMetricExporterProvider implements ComponentProvider {

  /** What the last exporter this built was given, export by export. */
  static final List<Collection<MetricData>> exports = new ArrayList<>();

  static volatile boolean shutDown;

  @Override
  public Class<MetricExporter> getType() {
    return MetricExporter.class;
  }

  @Override
  public String getName() {
    return "recording_test";
  }

  @Override
  public MetricExporter create(DeclarativeConfigProperties config) {
    synchronized (exports) {
      exports.clear();
    }
    shutDown = false;
    boolean delta = "delta".equals(config.getString("temporality"));
    return new MetricExporter() {
      @Override
      public CompletableResultCode export(Collection<MetricData> metrics) {
        synchronized (exports) {
          exports.add(List.copyOf(metrics));
        }
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public AggregationTemporality getAggregationTemporality(InstrumentType type) {
        return delta ? AggregationTemporality.DELTA : AggregationTemporality.CUMULATIVE;
      }

      @Override
      public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode shutdown() {
        shutDown = true;
        return CompletableResultCode.ofSuccess();
      }
    };
  }
}
