package io.github.apigatewayotel.examples.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The exporters a user configured that print telemetry to the terminal: {@code
 * experimental-otlp/stdout} and {@code console} on standard output, {@code logging} and {@code
 * logging-otlp} through java.util.logging. The live view redraws the terminal, so with any of them
 * it would overwrite what they print (and its log handler would swallow java.util.logging's): the
 * demo then shows no view.
 */
final class TerminalExporters {

  static final Set<String> PRINTING =
      Set.of("experimental-otlp/stdout", "console", "logging", "logging-otlp");

  private static final List<String> KEYS =
      List.of("otel.logs.exporter", "otel.metrics.exporter", "otel.traces.exporter");

  private TerminalExporters() {}

  /** E.g. {@code [otel.logs.exporter=experimental-otlp/stdout]}; empty when none prints. */
  static List<String> configured() {
    return configured(System::getProperty, System::getenv);
  }

  static List<String> configured(
      UnaryOperator<String> systemProperties, UnaryOperator<String> environment) {
    List<String> found = new ArrayList<>();
    for (String key : KEYS) {
      String value = systemProperties.apply(key);
      if (value == null) {
        value = environment.apply(key.toUpperCase(Locale.ROOT).replace('.', '_'));
      }
      if (value == null) {
        continue;
      }
      for (String name : value.split(",")) {
        if (PRINTING.contains(name.strip().toLowerCase(Locale.ROOT))) {
          found.add(key + "=" + value.strip());
          break;
        }
      }
    }
    return List.copyOf(found);
  }
}
