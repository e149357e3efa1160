package io.github.apigatewayotel.logs.benchmark;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.logs.LogRecordProcessor;
import io.opentelemetry.sdk.logs.ReadWriteLogRecord;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;

/** The real SDK with a processor that drops each record: the cheapest faithful sink. */
final class NoopSdk {

  private NoopSdk() {}

  static SdkLoggerProvider loggerProvider() {
    return SdkLoggerProvider.builder().addLogRecordProcessor(new Drop()).build();
  }

  private static final class Drop implements LogRecordProcessor {
    @Override
    public void onEmit(Context context, ReadWriteLogRecord logRecord) {}
  }
}
