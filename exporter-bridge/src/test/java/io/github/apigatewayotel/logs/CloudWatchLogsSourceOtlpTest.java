package io.github.apigatewayotel.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import io.github.apigatewayotel.testing.otlp.ReceivedLog;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The whole path: simulated CloudWatch Logs -> source -> bridge -> SDK -> OTLP/HTTP -> receiver.
 */
class CloudWatchLogsSourceOtlpTest {

  @Test
  void periodicPollingDeliversEveryLineOnceOverOtlp() throws Exception {
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    try (CloudWatchLogsTestFixture aws = new CloudWatchLogsTestFixture();
        OtlpTestReceiver receiver = OtlpTestReceiver.start()) {
      aws.logs.setFilterPageSize(3);
      long now = System.currentTimeMillis();
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        expected.add(aws.put("api-gateway-prod", "s" + (i % 2), now - 5_000 + i / 2, "otlp-" + i));
      }
      SdkLoggerProvider loggerProvider =
          OtlpLoggerProviders.exportingTo(
              receiver, batch -> batch.setScheduleDelay(Duration.ofMillis(100)));
      AccessLogBridge bridge =
          AccessLogBridge.builder(loggerProvider)
              .setCloudRegion(CloudWatchLogsTestFixture.REGION)
              .setCloudAccountId(CloudWatchLogsTestFixture.ACCOUNT)
              .build();
      try (CloudWatchLogsSource source =
          CloudWatchLogsSource.builder(bridge)
              .setClient(aws.client)
              .setCloudRegion(CloudWatchLogsTestFixture.REGION)
              .setPollInterval(Duration.ofMillis(50))
              .build()) {
        source.start(executor);
        await("all lines exported within 10 s")
            .atMost(Duration.ofSeconds(10))
            .until(() -> receiver.logRecords().size() >= expected.size());
        // Several more polls run while we wait for the next line: none repeats an old one.
        String later = aws.put("api-gateway-prod", "s0", System.currentTimeMillis(), "later");
        expected.add(later);
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> receiver.logRecords().stream().anyMatch(r -> r.body().equals(later)));
      } finally {
        loggerProvider.shutdown().join(5, TimeUnit.SECONDS);
      }
      List<ReceivedLog> records = receiver.logRecords();
      assertThat(records)
          .extracting(ReceivedLog::body)
          .containsExactlyInAnyOrderElementsOf(expected);
      ReceivedLog first = records.get(0);
      assertThat(first.attribute("aws.log.group.names"))
          .map(AnyValue::getArrayValue)
          .hasValueSatisfying(
              array ->
                  assertThat(array.getValues(0).getStringValue()).isEqualTo("api-gateway-prod"));
      assertThat(first.stringAttribute("cloud.region")).isEqualTo(CloudWatchLogsTestFixture.REGION);
    } finally {
      executor.shutdownNow();
      assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }
  }
}
