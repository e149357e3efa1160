package io.github.apigatewayotel.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.logs.AccessLogBridge;
import io.github.apigatewayotel.logs.AccessLogFormat;
import io.github.apigatewayotel.logs.LogOrigin;
import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The demo's access-log lines, in every layout and format, read back by the plugin's own parser:
 * each line fits its format and carries the request's status.
 */
class DemoAccessLogLinesTest {

  private static final AttributeKey<Long> STATUS =
      AttributeKey.longKey("http.response.status_code");
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  /** A second in the afternoon (UTC), within a burst window, with traffic on every route. */
  private static final long SECOND = 1_795_536_020L;

  private final SimulatedAccount account =
      SimulatedAccount.demo(DemoAccount.ACCOUNT_ID, DemoAccount.REGION, DemoAccount.SEED);
  private final TrafficModel model = new TrafficModel(DemoAccount.SEED);

  @Test
  void seedJsonLinesParseWithThePluginsDefaultFormat() {
    List<DemoLogGroup> groups =
        DemoLogGroup.of(account, DemoAccount.REGION, DemoLogGroup.Layout.SEED_JSON_EVERYWHERE);
    assertThat(groups)
        .extracting(DemoLogGroup::name)
        .allMatch(name -> name.startsWith("api-gateway"));
    assertThat(groups).hasSize(9); // every stage of the six APIs

    assertEveryLineParses(groups, group -> AccessLogFormat.defaultFormat());
  }

  @Test
  void stageSettingsLinesParseWithEachStagesOwnFormat() {
    List<DemoLogGroup> groups =
        DemoLogGroup.of(account, DemoAccount.REGION, DemoLogGroup.Layout.STAGE_SETTINGS);
    assertThat(groups)
        .allSatisfy(
            group -> assertThat(group.name()).isEqualTo(group.api().accessLogGroup(group.stage())));
    assertThat(
            groups.stream()
                .map(group -> group.api().accessLogFormat(group.stage()))
                .distinct()
                .count())
        .as("several formats")
        .isGreaterThan(2);

    assertEveryLineParses(
        groups, group -> AccessLogFormat.of(group.api().accessLogFormat(group.stage())));
  }

  @Test
  void trafficFollowsTheDayAndSlowRoutesAreSlow() {
    assertThat(TrafficModel.diurnalFactor(16 * 3600)).isEqualTo(1.0);
    assertThat(TrafficModel.diurnalFactor(4 * 3600))
        .isEqualTo(TrafficModel.DIURNAL_FLOOR, org.assertj.core.data.Offset.offset(1e-9));
    DemoLogGroup charge =
        DemoLogGroup.of(account, DemoAccount.REGION, DemoLogGroup.Layout.SEED_JSON_EVERYWHERE)
            .stream()
            .filter(group -> group.api().id().equals("z0y1x2w3v4"))
            .findFirst()
            .orElseThrow();
    List<SimulatedRequest> requests = new ArrayList<>();
    for (long second = SECOND; second < SECOND + 300; second++) {
      requests.addAll(model.requests(charge, second));
    }
    assertThat(requests)
        .isNotEmpty()
        .allSatisfy(request -> assertThat(request.latencyMillis()).isGreaterThanOrEqualTo(800));
  }

  private void assertEveryLineParses(
      List<DemoLogGroup> groups,
      java.util.function.Function<DemoLogGroup, AccessLogFormat> formatOf) {
    List<LogRecordData> records = new ArrayList<>();
    SdkLoggerProvider loggerProvider =
        SdkLoggerProvider.builder()
            .addLogRecordProcessor(SimpleLogRecordProcessor.create(collectInto(records)))
            .build();
    try {
      AccessLogBridge bridge = AccessLogBridge.builder(loggerProvider).build();
      List<Long> statuses = new ArrayList<>();
      for (DemoLogGroup group : groups) {
        for (SimulatedRequest request : model.requests(group, SECOND)) {
          String line = group.format().render(request);
          bridge.emit(formatOf.apply(group), line, LogOrigin.unknown(), request.epochMillis());
          statuses.add((long) request.status());
        }
      }
      assertThat(statuses).hasSizeGreaterThan(groups.size());
      assertThat(records).hasSameSizeAs(statuses);
      assertThat(records)
          .allSatisfy(
              record ->
                  assertThat(record.getAttributes().get(ERROR_TYPE))
                      .as(record.getBodyValue().asString())
                      .isNull());
      assertThat(
              records.stream()
                  .map(record -> record.getAttributes().get(STATUS))
                  .collect(Collectors.toList()))
          .isEqualTo(statuses);
    } finally {
      loggerProvider.close();
    }
  }

  private static LogRecordExporter collectInto(List<LogRecordData> records) {
    return new LogRecordExporter() {
      @Override
      public CompletableResultCode export(Collection<LogRecordData> logs) {
        records.addAll(logs);
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
      }
    };
  }
}
