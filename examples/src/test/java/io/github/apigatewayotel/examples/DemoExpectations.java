package io.github.apigatewayotel.examples;

import io.github.apigatewayotel.examples.DemoSeries.Stream;
import io.github.apigatewayotel.examples.ShippedQueries.Query;
import java.util.List;
import java.util.Map;

/**
 * What the demo account says each shipped panel query and alert expression must answer, for one
 * sample (its labels): the account's value of the last period for gauges; rates over a 1-minute
 * window as that period's value per second (Prometheus extrapolates a window sampled every 2 s over
 * its 60 s: a few percent); ratios of the sums since the first exported period for the rules, whose
 * 5- and 10-minute windows cover everything exported. Null where only data is checked.
 */
final class DemoExpectations {

  /**
   * A ratio of two rates over one window: Prometheus extrapolates each counter to the window's
   * edges, but not below zero, so two counters of one scrape can be extrapolated differently (seen:
   * 2%).
   */
  private static final double RATIO_RELATIVE = 0.05;

  private static final double RATIO_ABSOLUTE = 0.005;

  private final DemoSeries demo;

  DemoExpectations(DemoSeries demo) {
    this.demo = demo;
  }

  /** A value and how far from it a sample may be (relative, or absolute when larger). */
  record Expectation(double value, double relative, double absolute) {}

  /**
   * The rate of {@code stream} over a 1-minute window holding the step of one period (60 s / ~58 s
   * sampled).
   */
  private Expectation perSecond(Stream stream, long period) {
    return stream == null ? null : new Expectation(demo.value(stream, period) / 60, 0.07, 0.005);
  }

  private Expectation increase(Stream stream, long period) {
    return stream == null ? null : new Expectation(demo.value(stream, period), 0.07, 0.3);
  }

  private Expectation exact(Stream stream, long period) {
    return stream == null ? null : new Expectation(demo.value(stream, period), 1e-9, 1e-6);
  }

  private Expectation ratio(Stream part, Stream whole, long period) {
    if (part == null || whole == null) {
      return null;
    }
    return new Expectation(
        demo.value(part, period) / demo.value(whole, period), RATIO_RELATIVE, RATIO_ABSOLUTE);
  }

  /** A REST or HTTP API's 4xx or 5xx metric, as its labels name the API type. */
  private static String errors(Map<String, String> labels, String apiType, char klass) {
    return "http".equals(apiType) ? klass + "xx" : klass + "XXError";
  }

  private String apiType(Map<String, String> labels) {
    String name = labels.get("aws_apigateway_api_name");
    return demo.streams().stream()
        .filter(s -> s.api().name().equals(name))
        .findFirst()
        .map(s -> s.api().type().name().toLowerCase())
        .orElse("");
  }

  /** What the account says a panel's sample must show; null where only data is checked. */
  Expectation panel(Query query, Map<String, String> labels, long period) {
    String type = apiType(labels);
    String ref = query.refId();
    return switch (query.title()) {
      case "Requests per second" ->
          labels.isEmpty()
              ? sumOfStages("Count", "Sum", period, 60, 0.07)
              : perSecond(demo.stream("Count", "Sum", labels), period);
      case "5xx errors (share of requests)" ->
          ratio(
              demo.stream(errors(labels, type, '5'), "Sum", labels),
              demo.stream("Count", "Sum", labels),
              period);
      case "4xx errors (share of requests)" ->
          ratio(
              demo.stream(errors(labels, type, '4'), "Sum", labels),
              demo.stream("Count", "Sum", labels),
              period);
      case "Errors per second" ->
          perSecond(
              demo.stream(errors(labels, type, ref.equals("A") ? '5' : '4'), "Sum", labels),
              period);
      case "Latency p50 / p90 / p99 (CloudWatch)" ->
          exact(
              demo.stream(
                  "Latency", ref.equals("A") ? "p50" : ref.equals("B") ? "p90" : "p99", labels),
              period);
      case "Slowest stage p99" ->
          new Expectation(
              demo.stages("Latency", "p99").stream()
                  .mapToDouble(s -> demo.value(s, period))
                  .max()
                  .orElseThrow(),
              1e-9,
              1e-6);
      case "Integration latency (average, p99)" ->
          exact(
              demo.stream("IntegrationLatency", ref.equals("A") ? "Average" : "p99", labels),
              period);
      case "Cache hit ratio (REST)" -> {
        Stream hits = demo.stream("CacheHitCount", "Sum", labels);
        Stream misses = demo.stream("CacheMissCount", "Sum", labels);
        yield hits == null || misses == null
            ? null
            : new Expectation(
                demo.value(hits, period) / (demo.value(hits, period) + demo.value(misses, period)),
                RATIO_RELATIVE,
                RATIO_ABSOLUTE);
      }
      case "Data processed (HTTP)" ->
          perSecond(demo.stream("DataProcessed", "Sum", labels), period);
      case "WebSocket connections per second" ->
          perSecond(demo.stream("ConnectCount", "Sum", labels), period);
      case "WebSocket messages per second" ->
          perSecond(demo.stream("MessageCount", "Sum", labels), period);
      case "WebSocket errors per second" ->
          perSecond(
              demo.stream(
                  ref.equals("A")
                      ? "ClientError"
                      : ref.equals("B") ? "ExecutionError" : "IntegrationError",
                  "Sum",
                  labels),
              period);
      case "Per route (detailed metrics)" ->
          switch (ref) {
            case "A" -> increase(demo.stream("Count", "Sum", labels), period);
            case "B" -> increase(demo.stream(errors(labels, type, '4'), "Sum", labels), period);
            case "C" -> increase(demo.stream(errors(labels, type, '5'), "Sum", labels), period);
            case "D" -> exact(demo.stream("Latency", "p99", labels), period);
            case "E" -> exact(demo.stream("IntegrationLatency", "p99", labels), period);
            case "F" -> increase(demo.stream("MessageCount", "Sum", labels), period);
            default -> null;
          };
      // one point per stream and period: the streams' count per minute
      case "CloudWatch datapoints exported per minute" ->
          new Expectation(demo.streams().size(), 0.07, 1);
      default -> null;
    };
  }

  private Expectation sumOfStages(
      String metric, String statistic, long period, int divisor, double relative) {
    double sum =
        demo.stages(metric, statistic).stream().mapToDouble(s -> demo.value(s, period)).sum();
    return new Expectation(sum / divisor, relative, 0.01);
  }

  Expectation rule(String rule, Map<String, String> labels, long first, long last) {
    String type = apiType(labels);
    return switch (rule) {
      case "ApiGateway5xxErrorRateHigh" ->
          sumRatio(
              java.util.Arrays.asList(demo.stream(errors(labels, type, '5'), "Sum", labels)),
              java.util.Arrays.asList(demo.stream("Count", "Sum", labels)),
              first,
              last);
      case "ApiGateway4xxErrorRateHigh" ->
          sumRatio(
              java.util.Arrays.asList(demo.stream(errors(labels, type, '4'), "Sum", labels)),
              java.util.Arrays.asList(demo.stream("Count", "Sum", labels)),
              first,
              last);
      case "ApiGatewayLatencyP99High" -> exact(demo.stream("Latency", "p99", labels), last);
      case "ApiGatewayIntegrationLatencyHigh" ->
          exact(demo.stream("IntegrationLatency", "Average", labels), last);
      case "ApiGatewayCacheHitRatioDrop" ->
          sumRatio(
              java.util.Arrays.asList(demo.stream("CacheHitCount", "Sum", labels)),
              java.util.Arrays.asList(
                  demo.stream("CacheHitCount", "Sum", labels),
                  demo.stream("CacheMissCount", "Sum", labels)),
              first,
              last);
      case "ApiGatewayWebSocketErrorRateHigh" ->
          sumRatio(
              java.util.Arrays.asList(
                  demo.stream("ExecutionError", "Sum", labels),
                  demo.stream("IntegrationError", "Sum", labels)),
              java.util.Arrays.asList(demo.stream("MessageCount", "Sum", labels)),
              first,
              last);
      default -> null;
    };
  }

  /** The ratio of the sums of {@code parts} and {@code wholes} over the periods first..last. */
  private Expectation sumRatio(List<Stream> parts, List<Stream> wholes, long first, long last) {
    if (parts.contains(null) || wholes.contains(null)) {
      return null;
    }
    double part = parts.stream().mapToDouble(s -> demo.sum(s, first, last)).sum();
    double whole = wholes.stream().mapToDouble(s -> demo.sum(s, first, last)).sum();
    return new Expectation(part / whole, 0.03, 0.002);
  }
}
