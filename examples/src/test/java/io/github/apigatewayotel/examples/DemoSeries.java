package io.github.apigatewayotel.examples;

import io.github.apigatewayotel.receiver.internal.ApiType;
import io.github.apigatewayotel.receiver.internal.MetricCatalog;
import io.github.apigatewayotel.receiver.internal.MetricDescriptor;
import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the demo's simulated account holds, as a Prometheus-compatible backend names it: each
 * CloudWatch series x statistic the plugin exports, with its Prometheus metric name and the labels
 * that identify it, and its value for any period. The demo's account is deterministic (same seed,
 * same APIs and traffic), so a test process builds the same one the standalone host serves.
 */
final class DemoSeries {

  static final String ACCOUNT_ID = "123456789012";
  static final String REGION = "us-east-1";
  static final long SEED = 42;
  static final int PERIOD = 60;

  /** One exported stream: a CloudWatch series and statistic, as a Prometheus series. */
  record Stream(
      SimulatedAccount.Series series,
      MetricDescriptor descriptor,
      String prometheusName,
      SimulatedAccount.Api api,
      String stage,
      String route) {

    boolean counter() {
      return descriptor.monotonicSum();
    }

    String cloudWatchMetric() {
      return descriptor.cloudWatchMetric();
    }
  }

  final SimulatedAccount account = SimulatedAccount.demo(ACCOUNT_ID, REGION, SEED);
  private final List<Stream> streams = new ArrayList<>();

  DemoSeries() {
    for (SimulatedAccount.Series series : account.series(REGION)) {
      SimulatedAccount.Api api = account.api(series.apiId());
      Map<String, String> d = series.dimensions();
      String route =
          d.containsKey("Route")
              ? d.get("Route")
              : d.containsKey("Method") ? d.get("Method") + " " + d.get("Resource") : "";
      for (MetricDescriptor descriptor :
          MetricCatalog.descriptors(ApiType.valueOf(api.type().name()), series.metricName())) {
        streams.add(
            new Stream(
                series,
                descriptor,
                prometheusName(descriptor),
                api,
                d.getOrDefault("Stage", ""),
                route));
      }
    }
  }

  /**
   * The name the OpenTelemetry Java Prometheus exporter gives an OTel metric of the plugin, as
   * docs/PROMETHEUS.md documents it: non-alphanumerics to underscores, the unit's suffix ({@code
   * ms} milliseconds, {@code By} bytes, annotations such as {@code {request}} none), and {@code
   * _total} for a monotonic sum.
   */
  static String prometheusName(MetricDescriptor descriptor) {
    String name = descriptor.otelName().replaceAll("[^a-zA-Z0-9_]", "_");
    name +=
        switch (descriptor.unit()) {
          case "ms" -> "_milliseconds";
          case "By" -> "_bytes";
          default -> "";
        };
    return descriptor.monotonicSum() ? name + "_total" : name;
  }

  List<Stream> streams() {
    return streams;
  }

  /** The stream a Prometheus sample of {@code name} with {@code labels} is, or null. */
  Stream stream(String name, Map<String, String> labels) {
    String apiId = labels.get("aws_apigateway_api_id");
    String stage = labels.getOrDefault("aws_apigateway_stage", "");
    String route = route(labels);
    for (Stream stream : streams) {
      if (stream.prometheusName.equals(name)
          && stream.api.id().equals(apiId)
          && stream.stage.equals(stage)
          && stream.route.equals(route)) {
        return stream;
      }
    }
    return null;
  }

  /**
   * The route a sample's labels name: the route key as written, else method and resource; "" for
   * none.
   */
  static String route(Map<String, String> labels) {
    if (labels.containsKey("aws_apigateway_route_key")) {
      return labels.get("aws_apigateway_route_key");
    }
    if (labels.containsKey("http_route")) {
      String method =
          labels.getOrDefault("http_request_method_original", labels.get("http_request_method"));
      return method + " " + labels.get("http_route");
    }
    return "";
  }

  /**
   * The stream of CloudWatch metric {@code cloudWatchMetric} and statistic {@code statistic} at the
   * level a panel's sample names (API name, stage, route labels), or null.
   */
  Stream stream(String cloudWatchMetric, String statistic, Map<String, String> labels) {
    String apiName = labels.get("aws_apigateway_api_name");
    String stage = labels.getOrDefault("aws_apigateway_stage", "");
    String route = route(labels);
    for (Stream stream : streams) {
      if (stream.cloudWatchMetric().equals(cloudWatchMetric)
          && stream.descriptor.statistic().equals(statistic)
          && stream.api.name().equals(apiName)
          && stream.stage.equals(stage)
          && stream.route.equals(route)) {
        return stream;
      }
    }
    return null;
  }

  /**
   * The value CloudWatch holds for {@code stream} in the period starting at {@code periodStart}.
   */
  double value(Stream stream, long periodStart) {
    return account.value(stream.series, stream.descriptor.statistic(), periodStart, PERIOD);
  }

  /**
   * The sum of {@code stream}'s values over the periods from {@code first} to {@code last}, both
   * included.
   */
  double sum(Stream stream, long first, long last) {
    double sum = 0;
    for (long period = first; period <= last; period += PERIOD) {
      sum += value(stream, period);
    }
    return sum;
  }

  /** Stage-level streams (a stage, no route) of {@code cloudWatchMetric} and {@code statistic}. */
  List<Stream> stages(String cloudWatchMetric, String statistic) {
    return streams.stream()
        .filter(
            s ->
                s.cloudWatchMetric().equals(cloudWatchMetric)
                    && s.descriptor.statistic().equals(statistic)
                    && !s.stage.isEmpty()
                    && s.route.isEmpty())
        .toList();
  }

  static boolean sameApiAndStage(Stream a, Stream b) {
    return a.api.id().equals(b.api.id()) && Objects.equals(a.stage, b.stage);
  }
}
