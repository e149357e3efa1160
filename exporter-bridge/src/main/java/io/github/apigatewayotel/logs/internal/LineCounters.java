package io.github.apigatewayotel.logs.internal;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.MeterProvider;

/** The bridge's own counter, {@code apigateway_otel.logs.lines}, one series per outcome. */
public final class LineCounters {

  public static final String METER_NAME = "io.github.apigatewayotel.logs";
  public static final String LINES_COUNTER = "apigateway_otel.logs.lines";
  public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");

  public static final String SOURCE_ERRORS_COUNTER = "apigateway_otel.logs.source.errors";
  public static final AttributeKey<String> SOURCE = AttributeKey.stringKey("source");

  private final LongCounter lines;
  private final LongCounter sourceErrors;
  private final Attributes[] attributesByOutcome;

  public LineCounters(MeterProvider meterProvider) {
    this.lines =
        meterProvider
            .get(METER_NAME)
            .counterBuilder(LINES_COUNTER)
            .setUnit("{line}")
            .setDescription("Access-log lines handled by the bridge, by outcome")
            .build();
    this.sourceErrors =
        meterProvider
            .get(METER_NAME)
            .counterBuilder(SOURCE_ERRORS_COUNTER)
            .setUnit("{error}")
            .setDescription("Failures of a line source (I/O, checkpoint) that it recovered from")
            .build();
    LineOutcome[] outcomes = LineOutcome.values();
    this.attributesByOutcome = new Attributes[outcomes.length];
    for (LineOutcome outcome : outcomes) {
      attributesByOutcome[outcome.ordinal()] = Attributes.of(OUTCOME, outcome.attributeValue());
    }
  }

  /** Counts a failure a source ({@code file}, {@code cloudwatch}) recovered from. */
  public void countSourceError(String source) {
    sourceErrors.add(1, Attributes.of(SOURCE, source));
  }

  public void count(LineOutcome outcome) {
    lines.add(1, attributesByOutcome[outcome.ordinal()]);
  }
}
