package io.github.apigatewayotel.examples;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.apigatewayotel.examples.PrometheusServer.Sample;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A text rendering of the shipped Grafana dashboard from the answers a real Prometheus gave to its
 * panel queries: each panel's title and, as Grafana's legend table would list them, each series'
 * value at one instant (the per-route table as rows). Not a picture of Grafana, which is not run
 * here: the same queries, the same legends and units, the values Prometheus returned.
 */
final class DashboardCapture {

  private static final Pattern LEGEND_LABEL = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}");

  private final StringBuilder text = new StringBuilder();

  DashboardCapture(String heading) {
    text.append(heading).append('\n');
  }

  void row(String title) {
    text.append('\n').append("== ").append(title).append(" ==\n");
  }

  /** A panel whose targets answered {@code answers} (by refId), rendered per its type. */
  void panel(JsonNode panel, Map<String, List<Sample>> answers) {
    String unit = panel.path("fieldConfig").path("defaults").path("unit").asText("");
    String type = panel.path("type").asText();
    text.append('\n').append(panel.path("title").asText());
    if (type.equals("table")) {
      text.append('\n');
      table(panel, answers);
      return;
    }
    List<String[]> lines = new ArrayList<>();
    for (JsonNode target : panel.path("targets")) {
      for (Sample sample : answers.getOrDefault(target.path("refId").asText(), List.of())) {
        lines.add(
            new String[] {
              legend(target.path("legendFormat").asText(""), sample.labels()),
              format(sample.value(), unit)
            });
      }
    }
    if (lines.isEmpty()) {
      text.append(": ")
          .append(panel.path("fieldConfig").path("defaults").path("noValue").asText("No data"))
          .append('\n');
      return;
    }
    if (type.equals("stat")) {
      text.append(": ").append(lines.get(0)[1]).append('\n');
      return;
    }
    text.append('\n');
    int width = lines.stream().mapToInt(line -> width(line[0])).max().orElse(0);
    for (String[] line : lines) {
      text.append("  ").append(pad(line[0], width)).append("  ").append(line[1]).append('\n');
    }
  }

  /** A panel that reads another data source than Prometheus. */
  void notRendered(JsonNode panel, String why) {
    text.append('\n').append(panel.path("title").asText()).append(": ").append(why).append('\n');
  }

  /**
   * The per-route table: one row per label set, one column per query, named as the panel renames
   * them.
   */
  private void table(JsonNode panel, Map<String, List<Sample>> answers) {
    Map<String, String> rename = new LinkedHashMap<>();
    for (JsonNode transformation : panel.path("transformations")) {
      transformation
          .path("options")
          .path("renameByName")
          .fields()
          .forEachRemaining(e -> rename.put(e.getKey(), e.getValue().asText()));
    }
    List<String> labelColumns =
        List.of(
            "aws_apigateway_api_name",
            "aws_apigateway_stage",
            "http_request_method",
            "http_route",
            "aws_apigateway_route_key");
    List<String> refIds = new ArrayList<>();
    panel.path("targets").forEach(target -> refIds.add(target.path("refId").asText()));
    Map<List<String>, Map<String, Double>> rows =
        new TreeMap<>(Comparator.comparing(Object::toString));
    answers.forEach(
        (refId, samples) ->
            samples.forEach(
                sample -> {
                  List<String> key =
                      labelColumns.stream()
                          .map(label -> sample.labels().getOrDefault(label, ""))
                          .toList();
                  rows.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(refId, sample.value());
                }));
    List<String> header = new ArrayList<>();
    labelColumns.forEach(label -> header.add(rename.getOrDefault(label, label)));
    refIds.forEach(refId -> header.add(rename.getOrDefault("Value #" + refId, refId)));
    List<List<String>> cells = new ArrayList<>();
    cells.add(header);
    rows.entrySet().stream()
        .sorted(
            Comparator.comparing(
                (Map.Entry<List<String>, Map<String, Double>> e) ->
                    -e.getValue().getOrDefault("A", -1.0)))
        .forEach(
            e -> {
              List<String> line = new ArrayList<>(e.getKey());
              refIds.forEach(
                  refId -> {
                    Double value = e.getValue().get(refId);
                    line.add(
                        value == null
                            ? ""
                            : String.format(
                                Locale.ROOT, value == Math.rint(value) ? "%.0f" : "%.1f", value));
                  });
              cells.add(line);
            });
    int[] widths = new int[header.size()];
    for (List<String> line : cells) {
      for (int i = 0; i < line.size(); i++) {
        widths[i] = Math.max(widths[i], width(line.get(i)));
      }
    }
    for (List<String> line : cells) {
      StringBuilder out = new StringBuilder("  ");
      for (int i = 0; i < line.size(); i++) {
        out.append(
                i < labelColumns.size()
                    ? pad(line.get(i), widths[i])
                    : padLeft(line.get(i), widths[i]))
            .append("  ");
      }
      text.append(out.toString().stripTrailing()).append('\n');
    }
  }

  private static String legend(String format, Map<String, String> labels) {
    Matcher matcher = LEGEND_LABEL.matcher(format);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      matcher.appendReplacement(
          out, Matcher.quoteReplacement(labels.getOrDefault(matcher.group(1), "")));
    }
    matcher.appendTail(out);
    String legend = out.toString().replaceAll("\\s+", " ").strip();
    return legend.isEmpty() ? labels.toString() : legend;
  }

  static String format(double value, String unit) {
    return switch (unit) {
      case "percentunit" -> String.format(Locale.ROOT, "%.2f%%", value * 100);
      case "ms" -> String.format(Locale.ROOT, "%,.0f ms", value);
      case "s" -> String.format(Locale.ROOT, "%.3f s", value);
      case "reqps" -> String.format(Locale.ROOT, "%.2f req/s", value);
      case "cps" -> String.format(Locale.ROOT, "%.2f conn/s", value);
      case "mps" -> String.format(Locale.ROOT, "%.2f msg/s", value);
      case "Bps" -> String.format(Locale.ROOT, "%,.0f B/s", value);
      default -> String.format(Locale.ROOT, "%,.1f", value);
    };
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - width(s)));
  }

  private static String padLeft(String s, int width) {
    return " ".repeat(Math.max(0, width - width(s))) + s;
  }

  /** Columns a terminal gives {@code s}: Hangul and CJK characters take two. */
  static int width(String s) {
    return s.codePoints()
        .map(
            c ->
                (c >= 0x1100 && c <= 0x115F)
                        || (c >= 0x2E80 && c <= 0xA4CF)
                        || (c >= 0xAC00 && c <= 0xD7A3)
                        || (c >= 0xF900 && c <= 0xFAFF)
                        || (c >= 0xFF00 && c <= 0xFF60)
                    ? 2
                    : 1)
        .sum();
  }

  @Override
  public String toString() {
    return text.toString();
  }
}
