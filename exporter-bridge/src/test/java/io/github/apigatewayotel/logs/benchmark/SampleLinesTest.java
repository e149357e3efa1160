package io.github.apigatewayotel.logs.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.logs.AccessLogBridge;
import io.github.apigatewayotel.logs.LogOrigin;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The benchmark measures the parsed path: every sample line must fit its format. */
class SampleLinesTest {

  @ParameterizedTest
  @ValueSource(strings = {"json", "clf", "csv", "xml", "json-latency"})
  void everySampleLineParses(String format) {
    InMemoryLogRecordExporter exporter = InMemoryLogRecordExporter.create();
    try (SdkLoggerProvider provider =
        SdkLoggerProvider.builder()
            .addLogRecordProcessor(SimpleLogRecordProcessor.create(exporter))
            .build()) {
      AccessLogBridge bridge = AccessLogBridge.builder(provider).build();
      for (String line : SampleLines.lines(format)) {
        bridge.emit(SampleLines.format(format), line, LogOrigin.unknown(), 1L);
      }
      assertThat(exporter.getFinishedLogRecordItems())
          .hasSize(SampleLines.COUNT)
          .allSatisfy(
              record -> {
                assertThat(record.getAttributes().get(AttributeKey.stringKey("error.type")))
                    .isNull();
                assertThat(record.getAttributes().get(AttributeKey.stringKey("aws.request_id")))
                    .isNotNull();
              });
    }
  }
}
