package io.github.apigatewayotel.examples.demo;

import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import java.util.ArrayList;
import java.util.List;

/**
 * Why some rows of the live view have no log lines, from the simulated account's own stage
 * settings: a stage without access logging, one logging to Kinesis Data Firehose (which the plugin
 * does not read), or a format that names no route, whose lines count on the stage row only. As in a
 * real account: the metrics come from CloudWatch whatever the stage logs.
 */
final class LogLinesLegend {

  static final String TITLE = "LOG LINES 0, why:";

  private LogLinesLegend() {}

  static List<String> of(SimulatedAccount account, String region) {
    List<String> lines = new ArrayList<>();
    for (SimulatedAccount.Api api : account.apis(region)) {
      for (String stage : api.stages()) {
        String reason = reason(api, stage);
        if (reason != null) {
          lines.add("  " + api.name() + " " + stage + ": " + reason);
        }
      }
    }
    if (!lines.isEmpty()) {
      lines.add(0, TITLE);
    }
    return List.copyOf(lines);
  }

  private static String reason(SimulatedAccount.Api api, String stage) {
    if (api.accessLogSettings(stage) == null) {
      return "the stage has no access logging set up";
    }
    if (api.accessLogGroup(stage) == null) {
      return "its access logs go to Amazon Data Firehose: the plugin reads them only at its Firehose"
          + " endpoint (otel.apigateway.firehose.listen), which the demo does not run";
    }
    String format = api.accessLogFormat(stage);
    boolean namesRoute =
        format.contains("$context.routeKey")
            || (api.type() != SimulatedAccount.ApiType.WEBSOCKET
                && format.contains("$context.resourcePath"));
    return namesRoute
        ? null
        : "its log format has no $context.routeKey: lines count on the stage row, not its routes";
  }
}
