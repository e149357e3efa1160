package io.github.apigatewayotel.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The receiver's counting-only mode, which the end-to-end benchmark relies on. */
class OtlpTestReceiverCountingTest {

  @Test
  void countingOnlyReceiverCountsEveryDecodedRecordAndKeepsNone() throws Exception {
    try (OtlpTestReceiver counting = OtlpTestReceiver.startCountingOnly();
        OtlpTestReceiver keeping = OtlpTestReceiver.start()) {
      emitSeven(counting);
      emitSeven(keeping);

      await().atMost(Duration.ofSeconds(10)).until(() -> counting.logRecordCount() >= 7);
      await().atMost(Duration.ofSeconds(10)).until(() -> keeping.logRecordCount() >= 7);
      assertThat(counting.logRecordCount()).isEqualTo(7);
      assertThat(counting.logRequests()).isEmpty();
      assertThat(counting.logRecords()).isEmpty();
      assertThat(keeping.logRecordCount()).isEqualTo(7);
      assertThat(keeping.logRecords()).hasSize(7);
    }
  }

  private static void emitSeven(OtlpTestReceiver receiver) {
    SdkLoggerProvider loggerProvider =
        OtlpLoggerProviders.exportingTo(receiver, batch -> batch.setMaxExportBatchSize(3));
    try {
      AccessLogBridge bridge = AccessLogBridge.builder(loggerProvider).build();
      for (int i = 0; i < 7; i++) {
        bridge.emit("line " + i, LogOrigin.unknown());
      }
      loggerProvider.forceFlush().join(10, TimeUnit.SECONDS);
    } finally {
      loggerProvider.shutdown().join(10, TimeUnit.SECONDS);
    }
  }
}
