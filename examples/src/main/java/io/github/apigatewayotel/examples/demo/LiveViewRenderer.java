package io.github.apigatewayotel.examples.demo;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a {@link LiveViewTable.Snapshot} into the lines of one frame: a header, then one line per
 * stage (its totals) followed by its routes, indented. Pure: no terminal, no clock of its own.
 */
final class LiveViewRenderer {

  static final String TITLE = "apigateway-otel demo";
  static final String STAGE_ROUTE = "(all routes)";
  static final String NO_VALUE = "-";

  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

  private static final int API = 16;
  private static final int TYPE = 9;
  private static final int STAGE = 10;
  private static final int ROUTE = 22;
  private static final int REQUESTS = 9;
  private static final int ERRORS = 6;
  private static final int P99 = 7;
  private static final int LOGS = 9;
  private static final int UPDATED = 7;

  private final String source;
  private final List<String> legend;

  /**
   * @param source what the numbers come from, e.g. "simulated account 123456789012 us-east-1"
   * @param legend lines under the table saying why some rows have no log lines
   */
  LiveViewRenderer(String source, List<String> legend) {
    this.source = source;
    this.legend = List.copyOf(legend);
  }

  List<String> render(LiveViewTable.Snapshot snapshot, Instant now, String footer) {
    List<String> lines = new ArrayList<>();
    lines.add(TITLE + " | " + source + " | " + CLOCK.format(now) + " UTC | Ctrl-C to stop");
    lines.add(
        String.format(
            Locale.ROOT,
            // Nothing leaves the process: the view's own exporters are the only ones.
            "would be sent so far: %,d metric points, %,d log records"
                + " (not sent: no OTLP endpoint is set)",
            snapshot.metricPoints(),
            snapshot.logRecords()));
    lines.add("");
    lines.add(
        TextColumns.left("API", API)
            + " "
            + TextColumns.left("TYPE", TYPE)
            + " "
            + TextColumns.left("STAGE", STAGE)
            + " "
            + TextColumns.left("ROUTE", ROUTE)
            + " "
            + TextColumns.right("REQUESTS", REQUESTS)
            + " "
            + TextColumns.right("4XX", ERRORS)
            + " "
            + TextColumns.right("5XX", ERRORS)
            + " "
            + TextColumns.right("P99 ms", P99)
            + " "
            + TextColumns.right("LOG LINES", LOGS)
            + " "
            + TextColumns.right("UPDATED", UPDATED));
    String previousApi = null;
    for (LiveViewTable.Row row : snapshot.rows()) {
      boolean stageRow = row.key().isStage();
      boolean firstOfApi = !row.key().apiId().equals(previousApi);
      previousApi = row.key().apiId();
      String api = stageRow && firstOfApi ? row.apiName() : "";
      String type = stageRow && firstOfApi ? row.apiType() : "";
      String stage = stageRow ? row.key().stage() : "";
      String route = stageRow ? STAGE_ROUTE : "  " + row.key().route();
      lines.add(
          TextColumns.left(api, API)
              + " "
              + TextColumns.left(type, TYPE)
              + " "
              + TextColumns.left(stage, STAGE)
              + " "
              + TextColumns.left(route, ROUTE)
              + " "
              + TextColumns.right(count(row.requests()), REQUESTS)
              + " "
              + TextColumns.right(count(row.clientErrors()), ERRORS)
              + " "
              + TextColumns.right(count(row.serverErrors()), ERRORS)
              + " "
              + TextColumns.right(millis(row.p99Millis()), P99)
              + " "
              + TextColumns.right(String.format(Locale.ROOT, "%,d", row.logLines()), LOGS)
              + " "
              + TextColumns.right(age(row.lastUpdateMillis(), now), UPDATED));
    }
    if (snapshot.rows().isEmpty()) {
      lines.add("(waiting for the first poll...)");
    } else if (!legend.isEmpty()) {
      lines.add("");
      lines.addAll(legend);
    }
    if (footer != null && !footer.isEmpty()) {
      lines.add("");
      lines.add(footer);
    }
    return lines;
  }

  private static String count(double value) {
    return String.format(Locale.ROOT, "%,d", Math.round(value));
  }

  private static String millis(double value) {
    return Double.isNaN(value) ? NO_VALUE : String.format(Locale.ROOT, "%,d", Math.round(value));
  }

  /** How old the row's newest data is: CloudWatch periods end each minute, requests each second. */
  private static String age(long lastUpdateMillis, Instant now) {
    if (lastUpdateMillis == 0) {
      return NO_VALUE;
    }
    long seconds =
        Math.max(0, Duration.between(Instant.ofEpochMilli(lastUpdateMillis), now).toSeconds());
    return seconds < 60 ? seconds + "s ago" : seconds / 60 + "m ago";
  }
}
