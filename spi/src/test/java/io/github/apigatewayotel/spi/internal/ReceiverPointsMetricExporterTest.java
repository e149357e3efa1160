package io.github.apigatewayotel.spi.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableGaugeData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricExporter;
import io.opentelemetry.sdk.testing.metrics.TestMetricData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ReceiverPointsMetricExporterTest {

  private static final Resource HOST =
      Resource.create(Attributes.builder().put("service.name", "host").build());

  private final InMemoryMetricExporter backend = InMemoryMetricExporter.create();
  private final List<Resource> asked = new ArrayList<>();
  private final List<MetricData> receiverPoints = new ArrayList<>();
  private final ClosesWithSdk plugin = new ClosesWithSdk();
  private final MetricExporter exporter =
      new ReceiverPointsMetricExporter(
          resource -> {
            asked.add(resource);
            return List.copyOf(receiverPoints);
          },
          backend,
          plugin);

  @Test
  void eachExportCarriesTheReceiversPointsUnderTheSdksResource() {
    MetricData sdkMetric = metric("apigateway_otel.receiver.calls", HOST);
    MetricData cloudWatch = metric("aws.apigateway.count", HOST);
    receiverPoints.add(cloudWatch);

    assertThat(exporter.export(List.of(sdkMetric)).isSuccess()).isTrue();

    assertThat(backend.getFinishedMetricItems()).containsExactly(sdkMetric, cloudWatch);
    assertThat(asked).containsExactly(HOST);
  }

  @Test
  void withoutReceiverPointsTheExportIsTheSdksAlone() {
    MetricData sdkMetric = metric("apigateway_otel.receiver.calls", HOST);

    exporter.export(List.of(sdkMetric));

    assertThat(backend.getFinishedMetricItems()).containsExactly(sdkMetric);
  }

  @Test
  void shuttingTheExporterDownClosesThePlugin() {
    AtomicBoolean closed = new AtomicBoolean();
    plugin.attach(() -> closed.set(true));

    CompletableResultCode result = exporter.shutdown().join(10, TimeUnit.SECONDS);

    assertThat(result.isSuccess()).isTrue();
    assertThat(closed).isTrue();
    assertThat(plugin.isShutDown()).isTrue();
  }

  private static MetricData metric(String name, Resource resource) {
    return TestMetricData.builder()
        .setResource(resource)
        .setName(name)
        .setDescription("")
        .setUnit("1")
        .setDoubleGaugeData(ImmutableGaugeData.empty())
        .build();
  }
}
