package io.github.apigatewayotel.receiver.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.Metric;

/**
 * Series of linked source accounts the receiver has no role for, resolved from what ListMetrics
 * shows: cases the simulated organization does not produce, checked on the resolver directly.
 */
class UndiscoveredSeriesTest {

  static final String MONITORING = "111111111111";
  static final String SOURCE = "222222222222";

  static Metric metric(String name, String... dimensions) {
    List<Dimension> list = new ArrayList<>();
    for (int i = 0; i < dimensions.length; i += 2) {
      list.add(Dimension.builder().name(dimensions[i]).value(dimensions[i + 1]).build());
    }
    return Metric.builder()
        .namespace(SeriesLister.NAMESPACE)
        .metricName(name)
        .dimensions(list)
        .build();
  }

  static SeriesResolver.Result resolve(ApiFilter filter, List<Metric> page) {
    SeriesResolver resolver = new SeriesResolver(filter, new SeriesAttributes("aws.tag."));
    SeriesResolver.Session session =
        resolver.start(
            "eu-west-1",
            SeriesResolver.Scope.linked(MONITORING, ApiInventory.empty(), Map.of(), Set.of()));
    session.accept(page, page.stream().map(m -> SOURCE).toList());
    return session.result();
  }

  static String attribute(MonitoredSeries series, String key) {
    return series.attributes().get(AttributeKey.stringKey(key));
  }

  @Test
  void anApisTypeIsToldByAnySeriesOfItEvenOneListedLater() {
    SeriesResolver.Result result =
        resolve(
            ApiFilter.all(),
            List.of(
                metric(
                    "IntegrationLatency",
                    "ApiId",
                    "ws1",
                    "Stage",
                    "prod"), // tells nothing, listed first
                metric(
                    "IntegrationLatency",
                    "ApiId",
                    "only",
                    "Stage",
                    "prod"), // nothing else of its API is listed
                metric("MessageCount", "ApiId", "ws1", "Stage", "prod"),
                metric("Latency", "ApiId", "h1", "Route", "GET /pets", "Stage", "$default")));
    assertThat(result.series()).hasSize(4);
    assertThat(result.undiscovered()).isEqualTo(4);
    assertThat(result.accounts()).containsExactly(SOURCE);
    for (MonitoredSeries series : result.series()) {
      assertThat(series.account()).isEqualTo(SOURCE);
      assertThat(series.key()).startsWith(SOURCE + "/");
      assertThat(attribute(series, "cloud.account.id")).isEqualTo(SOURCE);
      String id = attribute(series, "aws.apigateway.api.id");
      assertThat(attribute(series, "aws.apigateway.api.type"))
          .isEqualTo(
              switch (id) {
                case "ws1" -> "websocket";
                case "h1" -> "http";
                default -> null; // "only": HTTP or WebSocket, nothing says which
              });
      assertThat(attribute(series, "cloud.resource_id"))
          .startsWith("arn:aws:apigateway:eu-west-1::/apis/" + id + "/stages/");
    }
    MonitoredSeries route =
        result.series().stream()
            .filter(s -> "h1".equals(attribute(s, "aws.apigateway.api.id")))
            .findFirst()
            .orElseThrow();
    assertThat(attribute(route, "http.request.method")).isEqualTo("GET");
    assertThat(attribute(route, "http.route")).isEqualTo("/pets");
  }

  @Test
  void nameFiltersApplyToTheDimensionTagFiltersCannot() {
    List<Metric> page =
        List.of(
            metric("Count", "ApiName", "pets-api"),
            metric("Count", "ApiName", "orders-api"),
            metric("Count", "ApiId", "h1"));
    assertThat(
            resolve(new ApiFilter(List.of("pets-*", "h1"), List.of(), Map.of(), Map.of()), page)
                .series())
        .extracting(
            s ->
                attribute(s, "aws.apigateway.api.name")
                    + "/"
                    + attribute(s, "aws.apigateway.api.id"))
        .containsExactlyInAnyOrder("pets-api/null", "null/h1");
    assertThat(
            resolve(
                    new ApiFilter(
                        List.of(), List.of("orders-api"), Map.of("team", List.of("x")), Map.of()),
                    page)
                .series())
        .isEmpty(); // tags unknown: a tag include selects none, whatever the names
    assertThat(
            resolve(
                    new ApiFilter(List.of(), List.of(), Map.of(), Map.of("team", List.of("x"))),
                    page)
                .series())
        .hasSize(3); // and a tag exclude removes none
    Attributes rest = resolve(ApiFilter.all(), page).series().get(0).attributes();
    assertThat(rest.get(AttributeKey.stringKey("aws.apigateway.api.type"))).isEqualTo("rest");
    assertThat(rest.get(AttributeKey.stringKey("cloud.resource_id")))
        .isNull(); // REST metrics name no id
  }
}
