package io.github.apigatewayotel.examples.demo;

import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The CloudWatch Logs group one stage of one API writes its access log to, and in which format. */
record DemoLogGroup(String name, SimulatedAccount.Api api, String stage, AccessLogLineFormat format) {

  /** The seed's convention: access-log groups start with {@code api-gateway}. */
  static final String NAME_PREFIX = "api-gateway-access-";

  /** One group per stage of every API in {@code region}. */
  static List<DemoLogGroup> of(SimulatedAccount account, String region) {
    List<DemoLogGroup> groups = new ArrayList<>();
    for (SimulatedAccount.Api api : account.apis(region)) {
      for (String stage : api.stages()) {
        groups.add(new DemoLogGroup(groupName(api, stage), api, stage, formatOf(api, stage)));
      }
    }
    return List.copyOf(groups);
  }

  /**
   * The one place that decides each group's format. Every group uses the plugin's default format
   * until per-stage formats are discovered from API Gateway ({@code otel.apigateway.logs.format=auto});
   * then REST, HTTP and WebSocket stages can each use their own.
   */
  private static AccessLogLineFormat formatOf(SimulatedAccount.Api api, String stage) {
    return SeedJsonLineFormat.INSTANCE;
  }

  // Log group names allow [.-_/#A-Za-z0-9]: API names may be Korean or Japanese, and "$default"
  // has a '$', so the group is named by API id and the stage without its '$'.
  private static String groupName(SimulatedAccount.Api api, String stage) {
    return NAME_PREFIX + api.id() + "-" + stage.replace("$", "").toLowerCase(Locale.ROOT);
  }
}
