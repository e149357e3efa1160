package io.github.apigatewayotel.examples.demo;

import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The demo's own exporters and the screen that shows what they received: what the SDK would send
 * over OTLP, per API, stage and route. Installed through autoconfigure's provider customizers, so
 * the plugin's metric producer and log bridge feed it exactly as they feed an OTLP exporter.
 */
final class LiveView implements AutoCloseable {

  /** How often the SDK hands the metrics to the view: no slower than the screen redraws. */
  static final Duration METRIC_READ_INTERVAL = Duration.ofSeconds(1);

  static final Duration LOG_BATCH_DELAY = Duration.ofMillis(500);

  private final LiveViewTable table = new LiveViewTable();
  private final RecentWarnings warnings;
  private final LiveViewScreen screen;
  private final PrintStream out;

  LiveView(PrintStream out, boolean ansi, String source, List<String> legend) {
    this.out = out;
    this.warnings = RecentWarnings.install();
    this.screen =
        new LiveViewScreen(
            out, ansi, table, new LiveViewRenderer(source, legend), warnings::footer);
  }

  void install(AutoConfiguredOpenTelemetrySdkBuilder builder) {
    builder.addMeterProviderCustomizer(
        (meterProvider, config) ->
            meterProvider.registerMetricReader(
                PeriodicMetricReader.builder(new LiveViewMetricExporter(table))
                    .setInterval(METRIC_READ_INTERVAL)
                    .build()));
    builder.addLoggerProviderCustomizer(
        (loggerProvider, config) ->
            loggerProvider.addLogRecordProcessor(
                BatchLogRecordProcessor.builder(new LiveViewLogRecordExporter(table))
                    .setScheduleDelay(LOG_BATCH_DELAY)
                    .build()));
  }

  void start() {
    screen.start();
  }

  /** Whether any API Gateway metric or log record has reached the view yet. */
  boolean hasData() {
    return !table.snapshot().isEmpty();
  }

  /** Stops redrawing and draws the final numbers once more (call after the SDK flushed). */
  void drawFinalFrame() {
    screen.close();
    screen.draw(true);
  }

  /** Log records the view got. */
  long logRecords() {
    return table.snapshot().logRecords();
  }

  /** One line for the exit summary. */
  String summary() {
    LiveViewTable.Snapshot snapshot = table.snapshot();
    double requests = 0;
    double errors = 0;
    long apis = snapshot.rows().stream().map(row -> row.key().apiId()).distinct().count();
    for (LiveViewTable.Row row : snapshot.rows()) {
      if (row.key().isStage()) {
        requests += row.requests();
        errors += row.clientErrors() + row.serverErrors();
      }
    }
    return String.format(
        Locale.ROOT,
        "%d APIs, %,d requests (%,d errors) in %,d metric points; %,d log records",
        apis,
        Math.round(requests),
        Math.round(errors),
        snapshot.metricPoints(),
        snapshot.logRecords());
  }

  PrintStream out() {
    return out;
  }

  @Override
  public void close() {
    screen.close();
  }
}
