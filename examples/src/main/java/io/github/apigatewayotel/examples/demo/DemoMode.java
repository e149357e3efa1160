package io.github.apigatewayotel.examples.demo;

import io.github.apigatewayotel.examples.StandaloneHostMode;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder;
import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The demo ({@link DemoHost}): the standalone host runs against {@link DemoAccount}, a simulated
 * account on loopback, and polls it like a real one. Without an OTLP endpoint configured, what it
 * would send is shown in a {@link LiveView} (or, with {@code --once}, printed as OTLP JSON); with
 * one, it is sent there. Every default here yields to a system property or environment variable the
 * user sets.
 */
public final class DemoMode implements StandaloneHostMode {

  static final String ACCESS_KEY_PROPERTY = "aws.accessKeyId";
  static final String SECRET_KEY_PROPERTY = "aws.secretAccessKey";
  static final String FAKE_ACCESS_KEY = "AKIDDEMO";
  static final String FAKE_SECRET_KEY = "demo-secret";

  /** Numbers within seconds: poll often, export periods as soon as they end. */
  static final String METRICS_INTERVAL = "5s";

  static final String METRICS_LOOKBACK = "10m";
  static final String LOGS_INTERVAL = "1s";
  static final String LOGS_OVERLAP = "30s";
  static final String LOGS_LOOKBACK = "2m";
  static final String LOGS_LOOKBACK_KEY = "otel.apigateway.logs.lookback";

  /** Where the repository keeps what a Prometheus-compatible backend needs for these metrics. */
  static final String DASHBOARD = "examples/grafana/apigateway-otel-dashboard.json";

  static final String ALERT_RULES = "examples/prometheus/apigateway-otel-rules.yml";
  static final String OTLP_EXPORT_INTERVAL_MILLIS = "2000";
  static final String OTLP_LOG_BATCH_DELAY_MILLIS = "500";
  static final String ONCE_EXPORT_INTERVAL_MILLIS = String.valueOf(Duration.ofHours(1).toMillis());

  /**
   * Where the simulated stages write their access logs and in which formats: each stage to its own
   * group in its own format (seed JSON, CLF, CSV, XML...), which the plugin discovers with {@code
   * otel.apigateway.logs.format=auto}; {@link #properties()} follows.
   */
  static final DemoLogGroup.Layout LOG_LAYOUT = DemoLogGroup.Layout.STAGE_SETTINGS;

  private final DemoAccount account;
  private final boolean once;
  private final PrintStream out;
  private final Optional<LiveView> liveView;
  private final Instant started = Instant.now();
  private volatile Instant pluginStarted;

  private DemoMode(
      DemoAccount account, boolean once, PrintStream out, Optional<LiveView> liveView) {
    this.account = account;
    this.once = once;
    this.out = out;
    this.liveView = liveView;
  }

  /**
   * Starts the simulated account. {@code plain} forces appended frames even on a terminal. Progress
   * goes to {@code out}: standard error whenever standard output carries telemetry ({@code --once},
   * or an exporter that prints), else standard output.
   */
  public static DemoMode start(boolean once, boolean plain) {
    List<String> printing = TerminalExporters.configured();
    PrintStream progress = once || !printing.isEmpty() ? System.err : System.out;
    progress.println("apigateway-otel demo: starting simulated account...");
    DemoAccount account = DemoAccount.start(LOG_LAYOUT);
    progress.printf(
        "apigateway-otel demo: simulated account %s (%s) on %s: %d APIs, %d access-log groups, %,d lines so far%n",
        DemoAccount.ACCOUNT_ID,
        DemoAccount.REGION,
        account.endpoint(),
        account.apiCount(),
        account.logGroupCount(),
        account.logLinesWritten());
    setFakeCredentials();
    Optional<LiveView> liveView = Optional.empty();
    if (!once && !printing.isEmpty()) {
      // The view redraws the terminal: it would overwrite what these exporters print there.
      progress.println(
          "apigateway-otel demo: no live view: "
              + String.join(", ", printing)
              + " prints telemetry to the terminal, which the view would overwrite (OTLP JSON goes to"
              + " standard output, these messages to standard error)");
    } else if (!once && !otlpEndpointConfigured() && !metricsExporterConfigured()) {
      boolean ansi = !plain && System.console() != null;
      liveView =
          Optional.of(
              new LiveView(
                  System.out,
                  ansi,
                  "simulated account " + DemoAccount.ACCOUNT_ID + " " + DemoAccount.REGION,
                  account.logLinesLegend()));
    } else if (!once && otlpEndpointConfigured()) {
      progress.println(
          "apigateway-otel demo: sending to the configured OTLP endpoint "
              + otlpEndpoint()
              + " (Ctrl-C to stop)");
    } else if (!once) {
      progress.println(
          "apigateway-otel demo: exporting metrics with otel.metrics.exporter="
              + configured("otel.metrics.exporter")
              + prometheusEndpoint()
              + " (Ctrl-C to stop)");
    }
    progress.println(
        "apigateway-otel demo: Grafana dashboard "
            + DASHBOARD
            + " and Prometheus alert rules "
            + ALERT_RULES
            + " (docs/PROMETHEUS.md) show these metrics in a Prometheus-compatible backend");
    return new DemoMode(account, once, progress, liveView);
  }

  /** The plugin's and the SDK's properties for the demo: the lowest-priority defaults. */
  @Override
  public Map<String, String> properties() {
    Map<String, String> properties = new HashMap<>();
    properties.put("otel.service.name", "apigateway-otel-demo");
    properties.put("otel.traces.exporter", "none");
    properties.put("otel.apigateway.aws.endpoint", account.endpoint().toString());
    properties.put("otel.apigateway.regions", DemoAccount.REGION);
    properties.put("otel.apigateway.aws.account.id", DemoAccount.ACCOUNT_ID);
    properties.put("otel.apigateway.metrics.delay", "0s");
    properties.put("otel.apigateway.metrics.interval", METRICS_INTERVAL);
    properties.put("otel.apigateway.metrics.lookback", METRICS_LOOKBACK);
    properties.put("otel.apigateway.logs.source", "cloudwatch");
    if (LOG_LAYOUT == DemoLogGroup.Layout.STAGE_SETTINGS) {
      properties.put("otel.apigateway.logs.format", "auto");
    } else {
      properties.put("otel.apigateway.logs.group.prefixes", DemoLogGroup.NAME_PREFIX);
    }
    properties.put("otel.apigateway.logs.interval", LOGS_INTERVAL);
    properties.put("otel.apigateway.logs.overlap", LOGS_OVERLAP);
    properties.put(LOGS_LOOKBACK_KEY, LOGS_LOOKBACK);
    // --once exports its metrics once, at the end, not while log batches print (see
    // StandaloneHost).
    properties.put(
        "otel.metric.export.interval",
        once ? ONCE_EXPORT_INTERVAL_MILLIS : OTLP_EXPORT_INTERVAL_MILLIS);
    properties.put("otel.blrp.schedule.delay", OTLP_LOG_BATCH_DELAY_MILLIS);
    // Collectors listen for OTLP/HTTP on 4318, which is what a newcomer's endpoint usually is.
    properties.put("otel.exporter.otlp.protocol", "http/protobuf");
    if (liveView.isPresent()) {
      properties.put("otel.metrics.exporter", "none");
      properties.put("otel.logs.exporter", "none");
    } else if (!otlpEndpointConfigured()) {
      properties.put("otel.metrics.exporter", "experimental-otlp/stdout");
      // metrics sent elsewhere (Prometheus, say): access logs printed as JSON would bury the output
      properties.put(
          "otel.logs.exporter", metricsExporterConfigured() ? "none" : "experimental-otlp/stdout");
    }
    return properties;
  }

  /** Installs the live view's exporters, when the demo shows one. */
  @Override
  public void customize(AutoConfiguredOpenTelemetrySdkBuilder builder) {
    liveView.ifPresent(view -> view.install(builder));
  }

  /** The SDK and the plugin are up: start the view, and say what happens next. */
  @Override
  public void started() {
    pluginStarted = Instant.now();
    String next;
    if (once) {
      next = "metrics and logs, then exit";
    } else if (liveView.isPresent()) {
      next = "numbers appear within seconds";
    } else if (otlpEndpointConfigured() && TerminalExporters.configured().isEmpty()) {
      // Nothing is shown here: promise no numbers, say where they go.
      next = "the telemetry goes to " + otlpEndpoint() + ", it is not shown here";
    } else {
      next = "telemetry is printed as it is exported";
    }
    out.println("apigateway-otel demo: first poll... (" + next + ")");
    liveView.ifPresent(LiveView::start);
  }

  /** After the SDK flushed: the last frame and a summary. */
  @Override
  public void stopped() {
    Duration ran = Duration.between(started, Instant.now());
    liveView.ifPresent(LiveView::drawFinalFrame);
    out.print(summary(ran));
    out.println(
        "apigateway-otel demo: in Grafana, import "
            + DASHBOARD
            + "; Prometheus alert rules: "
            + ALERT_RULES);
    out.flush();
  }

  /**
   * The exit summary. Lines written and records exported differ without any loss: a first start
   * reads each group from the logs lookback before it, so older lines are never read; the summary
   * says how many lines are in that reach.
   */
  private String summary(Duration ran) {
    StringBuilder summary = new StringBuilder();
    summary.append(
        String.format(
            Locale.ROOT,
            "apigateway-otel demo summary: ran %ds; the simulated account wrote %,d access-log lines",
            ran.toSeconds(),
            account.logLinesWritten()));
    Instant pluginStart = pluginStarted;
    if (pluginStart != null) {
      Duration lookback = logsLookback();
      summary.append(
          String.format(
              Locale.ROOT,
              ", %,d of them since %s before the plugin started (otel.apigateway.logs.lookback, where a"
                  + " first start begins reading; older lines are not read)",
              account.logLinesWrittenSince(pluginStart.minus(lookback).toEpochMilli()),
              humane(lookback)));
    }
    summary.append(System.lineSeparator());
    liveView.ifPresent(
        view ->
            summary
                .append("apigateway-otel demo summary: shown ")
                .append(view.summary())
                .append(
                    " (the lines of the last poll interval are read by a poll the exit cut off)")
                .append(System.lineSeparator()));
    return summary.toString();
  }

  private static Duration logsLookback() {
    String value =
        System.getProperty(LOGS_LOOKBACK_KEY, System.getenv("OTEL_APIGATEWAY_LOGS_LOOKBACK"));
    if (value == null || value.isBlank()) {
      value = LOGS_LOOKBACK;
    }
    try {
      return DefaultConfigProperties.createFromMap(Map.of(LOGS_LOOKBACK_KEY, value))
          .getDuration(LOGS_LOOKBACK_KEY);
    } catch (RuntimeException e) {
      return Duration.ofMinutes(2); // the plugin itself refuses a bad value at start-up
    }
  }

  private static String humane(Duration duration) {
    long seconds = duration.toSeconds();
    return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
  }

  @Override
  public void close() {
    liveView.ifPresent(LiveView::close);
    account.close();
  }

  /** Fake static credentials for the loopback account, unless the user set some. */
  private static void setFakeCredentials() {
    if (System.getProperty(ACCESS_KEY_PROPERTY) == null) {
      System.setProperty(ACCESS_KEY_PROPERTY, FAKE_ACCESS_KEY);
      System.setProperty(SECRET_KEY_PROPERTY, FAKE_SECRET_KEY);
    }
  }

  static boolean otlpEndpointConfigured() {
    return otlpEndpoint() != null;
  }

  private static String otlpEndpoint() {
    return configured("otel.exporter.otlp.endpoint");
  }

  /**
   * Whether the user chose a metrics exporter (e.g. prometheus): the demo then shows no live view.
   */
  static boolean metricsExporterConfigured() {
    return configured("otel.metrics.exporter") != null;
  }

  /**
   * {@code key} as the user set it, as a system property or its environment variable; else null.
   */
  private static String configured(String key) {
    String value = System.getProperty(key);
    return value != null
        ? value
        : System.getenv(key.toUpperCase(java.util.Locale.ROOT).replace('.', '_'));
  }

  /** Where the Prometheus exporter serves, when it is the metrics exporter; else empty. */
  private static String prometheusEndpoint() {
    if (!configured("otel.metrics.exporter").contains("prometheus")) {
      return "";
    }
    String host = configured("otel.exporter.prometheus.host");
    String port = configured("otel.exporter.prometheus.port");
    return ", scrape http://"
        + (host == null ? "localhost" : host)
        + ":"
        + (port == null ? "9464" : port)
        + "/metrics";
  }
}
