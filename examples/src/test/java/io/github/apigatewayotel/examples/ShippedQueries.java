package io.github.apigatewayotel.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * The PromQL the project ships, read from the files users import: the Grafana dashboard's panel and
 * variable queries, and the Prometheus alerting rules' expressions.
 */
final class ShippedQueries {

  static final Path DASHBOARD = Path.of("grafana", "apigateway-otel-dashboard.json");
  static final Path RULES = Path.of("prometheus", "apigateway-otel-rules.yml");

  /** One query: where it comes from (panel title or rule name), its refId (panels), its PromQL. */
  record Query(String title, String refId, String expr) {}

  private ShippedQueries() {}

  /**
   * The files of the examples module (the build sets the directory; else the working directory).
   */
  static Path file(Path relative) {
    String dir = System.getProperty("apigateway.examples.dir");
    return dir == null ? relative : Path.of(dir).resolve(relative);
  }

  static JsonNode dashboard() throws IOException {
    return new ObjectMapper().readTree(file(DASHBOARD).toFile());
  }

  /** Every query of every panel whose data source is the Prometheus variable. */
  static List<Query> prometheusPanelQueries() throws IOException {
    List<Query> queries = new ArrayList<>();
    for (JsonNode panel : dashboard().path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        JsonNode source =
            target.has("datasource") ? target.path("datasource") : panel.path("datasource");
        if (source.path("type").asText().equals("prometheus")) {
          queries.add(
              new Query(
                  panel.path("title").asText(),
                  target.path("refId").asText(),
                  target.path("expr").asText()));
        }
      }
    }
    return queries;
  }

  /** Titles of the panels whose data source is not Prometheus (the Loki logs panel). */
  static List<String> otherPanels() throws IOException {
    List<String> titles = new ArrayList<>();
    for (JsonNode panel : dashboard().path("panels")) {
      if (panel.has("datasource")
          && !panel.path("datasource").path("type").asText().equals("prometheus")) {
        titles.add(panel.path("title").asText());
      }
    }
    return titles;
  }

  /**
   * The {@code label_values(selector, label)} queries of the dashboard's variables, by variable
   * name.
   */
  static List<Query> variableQueries() throws IOException {
    List<Query> queries = new ArrayList<>();
    for (JsonNode variable : dashboard().path("templating").path("list")) {
      if (variable.path("type").asText().equals("query")) {
        queries.add(
            new Query(variable.path("name").asText(), "", variable.path("definition").asText()));
      }
    }
    return queries;
  }

  /** Every alerting rule's expression, by rule name. */
  @SuppressWarnings("unchecked")
  static List<Query> alertRules() throws IOException {
    List<Query> rules = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(file(RULES))) {
      Map<String, Object> document = new Yaml().load(reader);
      for (Map<String, Object> group : (List<Map<String, Object>>) document.get("groups")) {
        for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
          rules.add(new Query((String) rule.get("alert"), "", ((String) rule.get("expr")).strip()));
        }
      }
    }
    return rules;
  }

  /** {@code expr} with the dashboard's variables ({@code $name}, {@code ${name}}) replaced. */
  static String substitute(String expr, Map<String, String> variables) {
    String result = expr;
    List<String> names = new ArrayList<>(variables.keySet());
    names.sort(Comparator.comparingInt(String::length).reversed()); // $api_id before $api
    for (String name : names) {
      result =
          result
              .replace("${" + name + "}", variables.get(name))
              .replace("$" + name, variables.get(name));
    }
    return result;
  }

  /**
   * What an alert compares: the expression left of its last top-level comparison ({@code x > 0.05}
   * gives {@code x}), or the selector an {@code absent_over_time} looks for. Comparisons inside
   * parentheses (filters such as {@code (... > 0)}) and label matchers stay.
   */
  static String quantity(String expr) {
    String trimmed = expr.strip();
    if (trimmed.startsWith("absent_over_time(")) {
      String inner = trimmed.substring("absent_over_time(".length(), trimmed.lastIndexOf(')'));
      return inner.substring(0, inner.lastIndexOf('['));
    }
    int depth = 0;
    boolean quoted = false;
    int last = -1;
    for (int i = 0; i < trimmed.length(); i++) {
      char c = trimmed.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (quoted) {
        continue;
      } else if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        depth--;
      } else if (depth == 0
          && (c == '>'
              || c == '<'
              || (c == '=' && i + 1 < trimmed.length() && trimmed.charAt(i + 1) == '='))) {
        last = i;
        if (i + 1 < trimmed.length() && trimmed.charAt(i + 1) == '=') {
          i++;
        }
      } else if (depth == 0
          && c == '!'
          && i + 1 < trimmed.length()
          && trimmed.charAt(i + 1) == '=') {
        last = i;
        i++;
      }
    }
    return last < 0 ? trimmed : trimmed.substring(0, last).strip();
  }
}
