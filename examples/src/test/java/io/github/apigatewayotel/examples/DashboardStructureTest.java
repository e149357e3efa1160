package io.github.apigatewayotel.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shipped Grafana dashboard imports as is into any Grafana: no data source of this machine is
 * named (only the dashboard's data source variables), every variable a query uses is declared,
 * every panel has a unique id and a place on the 24-column grid, every query a refId of its own.
 * (Grafana itself is not run here; PrometheusBackendIT runs every query against a real Prometheus.)
 */
class DashboardStructureTest {

  private static final Set<String> PANEL_TYPES =
      Set.of("row", "timeseries", "stat", "table", "logs");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)");

  @Test
  void theDashboardImportsAsIsWithItsDataSourcesAsVariables() throws Exception {
    JsonNode dashboard = ShippedQueries.dashboard();
    assertThat(dashboard.path("uid").asText()).isEqualTo("apigateway-otel");
    assertThat(dashboard.path("title").asText()).isNotBlank();
    assertThat(dashboard.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
    assertThat(dashboard.has("__inputs"))
        .as("no import-time inputs: data sources are variables")
        .isFalse();

    Set<String> variables = new HashSet<>();
    Set<String> dataSourceVariables = new HashSet<>();
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      assertThat(variables.add(variable.path("name").asText()))
          .as("variable declared once")
          .isTrue();
      if (variable.path("type").asText().equals("datasource")) {
        dataSourceVariables.add("${" + variable.path("name").asText() + "}");
      }
      if (variable.path("type").asText().equals("query")) {
        assertThat(variable.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
      }
    }
    assertThat(dataSourceVariables).containsExactlyInAnyOrder("${datasource}", "${loki}");

    Set<Integer> ids = new HashSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      String title = panel.path("title").asText();
      assertThat(PANEL_TYPES).as("type of %s", title).contains(panel.path("type").asText());
      assertThat(ids.add(panel.path("id").asInt())).as("unique id of %s", title).isTrue();
      JsonNode grid = panel.path("gridPos");
      assertThat(grid.path("w").asInt() + grid.path("x").asInt())
          .as("grid of %s", title)
          .isBetween(1, 24);
      assertThat(grid.path("h").asInt()).as("height of %s", title).isPositive();
      if (panel.path("type").asText().equals("row")) {
        continue;
      }
      assertThat(dataSourceVariables)
          .as("data source of %s", title)
          .contains(panel.path("datasource").path("uid").asText());
      Set<String> refIds = new HashSet<>();
      assertThat(panel.path("targets")).as("queries of %s", title).isNotEmpty();
      for (JsonNode target : panel.path("targets")) {
        assertThat(refIds.add(target.path("refId").asText())).as("refIds of %s", title).isTrue();
        assertThat(target.path("datasource").path("uid").asText())
            .isEqualTo(panel.path("datasource").path("uid").asText());
        String expr = target.path("expr").asText();
        assertThat(expr).as("query of %s", title).isNotBlank();
        Matcher used = VARIABLE.matcher(expr);
        while (used.find()) {
          assertThat(variables)
              .as("variable $%s of %s", used.group(1), title)
              .contains(used.group(1));
        }
      }
    }
    assertThat(ids).as("panels").hasSizeGreaterThan(20);
  }
}
