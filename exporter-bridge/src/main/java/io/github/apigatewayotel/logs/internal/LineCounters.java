package io.github.apigatewayotel.logs.internal;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The bridge's own counter, {@code apigateway_otel.logs.lines}, one series per outcome.
 *
 * <p>Counted per line in {@link LongAdder}s and reported by an asynchronous counter when the host
 * collects: a synchronous {@code LongCounter.add} with attributes costs a map lookup and an
 * exemplar check per line, a {@code LongAdder} one uncontended add. The totals are the same. All
 * bridges on one {@link MeterProvider} share one set of adders and one callback, because the SDK
 * keeps only the first of several observations of one series per collection (so two callbacks would
 * under-count where two synchronous counters added up).
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class LineCounters {

  public static final String METER_NAME = "io.github.apigatewayotel.logs";
  public static final String LINES_COUNTER = "apigateway_otel.logs.lines";
  public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");

  public static final String SOURCE_ERRORS_COUNTER = "apigateway_otel.logs.source.errors";
  public static final AttributeKey<String> SOURCE = AttributeKey.stringKey("source");

  /**
   * Line counts per provider. Weak keys: the values (adders) never reference their provider (the
   * provider references the callback, which holds only the adders), so a closed, unreachable
   * provider and its counts can be collected.
   */
  private static final Map<MeterProvider, LongAdder[]> LINES_BY_PROVIDER = new WeakHashMap<>();

  private static final LineOutcome[] OUTCOMES = LineOutcome.values();
  private static final Attributes[] ATTRIBUTES_BY_OUTCOME = new Attributes[OUTCOMES.length];

  static {
    for (LineOutcome outcome : OUTCOMES) {
      ATTRIBUTES_BY_OUTCOME[outcome.ordinal()] = Attributes.of(OUTCOME, outcome.attributeValue());
    }
  }

  private final LongAdder[] linesByOutcome;
  private final LongCounter sourceErrors;

  public LineCounters(MeterProvider meterProvider) {
    this.linesByOutcome = linesFor(meterProvider);
    this.sourceErrors =
        meterProvider
            .get(METER_NAME)
            .counterBuilder(SOURCE_ERRORS_COUNTER)
            .setUnit("{error}")
            .setDescription("Failures of a line source (I/O, checkpoint) that it recovered from")
            .build();
  }

  private static LongAdder[] linesFor(MeterProvider meterProvider) {
    synchronized (LINES_BY_PROVIDER) {
      LongAdder[] existing = LINES_BY_PROVIDER.get(meterProvider);
      if (existing != null) {
        return existing;
      }
      LongAdder[] adders = new LongAdder[OUTCOMES.length];
      for (int i = 0; i < adders.length; i++) {
        adders[i] = new LongAdder();
      }
      meterProvider
          .get(METER_NAME)
          .counterBuilder(LINES_COUNTER)
          .setUnit("{line}")
          .setDescription("Access-log lines handled by the bridge, by outcome")
          .buildWithCallback(measurement -> report(adders, measurement));
      LINES_BY_PROVIDER.put(meterProvider, adders);
      return adders;
    }
  }

  /** Reports the outcomes seen so far; like a synchronous counter, none before its first line. */
  private static void report(LongAdder[] adders, ObservableLongMeasurement measurement) {
    for (int i = 0; i < adders.length; i++) {
      long total = adders[i].sum();
      if (total > 0) {
        measurement.record(total, ATTRIBUTES_BY_OUTCOME[i]);
      }
    }
  }

  /** Counts a failure a source ({@code file}, {@code cloudwatch}) recovered from. */
  public void countSourceError(String source) {
    sourceErrors.add(1, Attributes.of(SOURCE, source));
  }

  public void count(LineOutcome outcome) {
    linesByOutcome[outcome.ordinal()].increment();
  }
}
