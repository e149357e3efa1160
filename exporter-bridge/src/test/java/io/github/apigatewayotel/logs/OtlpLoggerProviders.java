package io.github.apigatewayotel.logs;

import io.github.apigatewayotel.testing.otlp.OtlpBackend;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessorBuilder;
import java.util.function.UnaryOperator;

/** The host's log pipeline as tests build it: the real OTLP/HTTP exporter to a test receiver. */
public final class OtlpLoggerProviders {

  private OtlpLoggerProviders() {}

  /**
   * A logger provider whose batch processor ({@code batch} sets its delay, sizes) exports over
   * OTLP/HTTP to {@code backend}.
   */
  public static SdkLoggerProvider exportingTo(
      OtlpBackend backend, UnaryOperator<BatchLogRecordProcessorBuilder> batch) {
    OtlpHttpLogRecordExporter exporter =
        OtlpHttpLogRecordExporter.builder().setEndpoint(backend.endpoint() + "/v1/logs").build();
    return SdkLoggerProvider.builder()
        .addLogRecordProcessor(batch.apply(BatchLogRecordProcessor.builder(exporter)).build())
        .build();
  }
}
