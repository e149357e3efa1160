package io.github.apigatewayotel.examples.demo;

import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The CloudWatch Logs group one stage of one API writes its access log to, and in which format. */
record DemoLogGroup(
    String name, SimulatedAccount.Api api, String stage, AccessLogLineFormat format) {

  /** The seed's convention: access-log groups start with {@code api-gateway}. */
  static final String NAME_PREFIX = "api-gateway-access-";

  /** Where each stage's access log goes, and in which format: the one place that decides it. */
  enum Layout {
    /**
     * Every stage, to a group of its own in the seed's JSON: what the plugin's default format
     * ({@code otel.apigateway.logs.format=json}) reads.
     */
    SEED_JSON_EVERYWHERE,
    /**
     * As each stage's {@code accessLogSettings} in the simulated account say: its own group and
     * format (JSON, CLF, CSV, XML...), stages logging to Firehose or not at all left out. What
     * {@code otel.apigateway.logs.format=auto} reads.
     */
    STAGE_SETTINGS
  }

  static List<DemoLogGroup> of(SimulatedAccount account, String region, Layout layout) {
    List<DemoLogGroup> groups = new ArrayList<>();
    for (SimulatedAccount.Api api : account.apis(region)) {
      for (String stage : api.stages()) {
        if (layout == Layout.SEED_JSON_EVERYWHERE) {
          groups.add(
              new DemoLogGroup(groupName(api, stage), api, stage, SeedJsonLineFormat.INSTANCE));
        } else if (api.accessLogGroup(stage) != null) {
          groups.add(
              new DemoLogGroup(
                  api.accessLogGroup(stage),
                  api,
                  stage,
                  new ContextTemplateLineFormat(api.accessLogFormat(stage))));
        }
      }
    }
    return List.copyOf(groups);
  }

  // Log group names allow [.-_/#A-Za-z0-9]: API names may be Korean or Japanese, and "$default"
  // has a '$', so the group is named by API id and the stage without its '$'.
  private static String groupName(SimulatedAccount.Api api, String stage) {
    return NAME_PREFIX + api.id() + "-" + stage.replace("$", "").toLowerCase(Locale.ROOT);
  }
}
