package io.github.apigatewayotel.logs;

import io.github.apigatewayotel.logs.internal.DeliveryBatch;
import io.github.apigatewayotel.logs.internal.cloudwatch.CloudWatchLogsSourceMetrics;
import io.github.apigatewayotel.logs.internal.cloudwatch.SourceProblems;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.annotation.Nullable;

/**
 * Hands each event a {@link CloudWatchLogsSource} reads to its bridge (access or execution logs),
 * with where it came from: group, stream, region, account and, when known, the API stage that
 * writes to the group. A failing lookup of a group's format or stage, or a refusing bridge, never
 * loses the line or stops the poll.
 */
final class LogEventRouter {

  private static final Logger logger = Logger.getLogger(LogEventRouter.class.getName());

  /** Null when reading execution logs. */
  @Nullable private final AccessLogBridge bridge;

  /** Null when reading access logs. */
  @Nullable private final ExecutionLogBridge executionLogs;

  @Nullable private final Function<String, AccessLogFormat> formatForGroup;
  @Nullable private final Function<String, ApiStage> stageForGroup;
  @Nullable private final String cloudRegion;

  /** Asked at each poll while the account is unknown; null when it was given as a value. */
  @Nullable private final Supplier<String> cloudAccountIdSupplier;

  @Nullable private volatile String cloudAccountId;
  private final CloudWatchLogsSourceMetrics metrics;
  private final SourceProblems problems;
  private final Map<String, LogOrigin> origins = new HashMap<>();

  LogEventRouter(
      @Nullable AccessLogBridge bridge,
      @Nullable ExecutionLogBridge executionLogs,
      @Nullable Function<String, AccessLogFormat> formatForGroup,
      @Nullable Function<String, ApiStage> stageForGroup,
      @Nullable String cloudRegion,
      @Nullable String cloudAccountId,
      @Nullable Supplier<String> cloudAccountIdSupplier,
      CloudWatchLogsSourceMetrics metrics,
      SourceProblems problems) {
    this.bridge = bridge;
    this.executionLogs = executionLogs;
    this.formatForGroup = formatForGroup;
    this.stageForGroup = stageForGroup;
    this.cloudRegion = cloudRegion;
    this.cloudAccountId = cloudAccountId;
    this.cloudAccountIdSupplier = cloudAccountIdSupplier;
    this.metrics = metrics;
    this.problems = problems;
  }

  DeliveryBatch openDeliveryBatch() {
    return executionLogs != null ? executionLogs.openDeliveryBatch() : bridge.openDeliveryBatch();
  }

  /** The account id the records carry, null while unknown. */
  @Nullable
  String accountId() {
    return cloudAccountId;
  }

  /** While the account id is unknown, asks the supplier (which backs off by itself). */
  void refreshAccountId() {
    if (cloudAccountId != null || cloudAccountIdSupplier == null) {
      return;
    }
    try {
      String found = cloudAccountIdSupplier.get();
      if (found != null && !found.isBlank()) {
        cloudAccountId = found;
      }
    } catch (RuntimeException e) {
      metrics.error("AccountId", "supplier");
      logger.log(
          Level.FINE, "The account id supplier failed; records carry no cloud.account.id", e);
    }
  }

  void emit(String logGroup, String logStream, long timestampMillis, String message) {
    try {
      if (cloudAccountId == null && cloudAccountIdSupplier != null) {
        metrics.accountUnknown();
      }
      LogOrigin origin = originOf(logGroup, logStream);
      if (executionLogs != null) {
        executionLogs.emit(message, origin, timestampMillis);
        return;
      }
      AccessLogFormat format = formatOf(logGroup);
      bridge.emit(format == null ? bridge.format() : format, message, origin, timestampMillis);
    } catch (RuntimeException e) {
      metrics.error("Emit", "bridge");
      logger.log(Level.FINE, "The bridge refused a line of " + logGroup, e);
    }
  }

  /** The group is gone: its streams' origins are dropped. */
  void forget(String group) {
    synchronized (origins) {
      origins.keySet().removeIf(key -> key.startsWith(group + "\n"));
    }
  }

  /** The group's own format, or null for the bridge's. */
  @Nullable
  private AccessLogFormat formatOf(String logGroup) {
    return lookUp(
        formatForGroup,
        logGroup,
        "FormatForGroup",
        "format_lookup",
        "access-log format",
        "; using the default");
  }

  private LogOrigin originOf(String logGroup, String logStream) {
    String key = logGroup + "\n" + logStream;
    ApiStage stage = stageOf(logGroup);
    synchronized (origins) {
      LogOrigin origin = origins.get(key);
      // Rebuilt only when the group's stage (or the account, once known) changes: one origin per
      // stream keeps the bridge's per-origin attribute cache warm.
      if (origin == null
          || !sameStage(origin, stage)
          || !Objects.equals(origin.cloudAccountId(), cloudAccountId)) {
        origin = LogOrigin.cloudWatchLogs(logGroup, logStream, cloudRegion, cloudAccountId);
        if (stage != null) {
          origin = origin.withApiStage(stage.apiId(), stage.stage(), stage.apiType());
        }
        origins.put(key, origin);
      }
      return origin;
    }
  }

  private static boolean sameStage(LogOrigin origin, @Nullable ApiStage stage) {
    return stage == null
        ? origin.apiId() == null
        : stage.apiId().equals(origin.apiId())
            && stage.stage().equals(origin.stage())
            && Objects.equals(stage.apiType(), origin.apiType());
  }

  /** The stage known to write to the group, or null. */
  @Nullable
  private ApiStage stageOf(String logGroup) {
    return lookUp(stageForGroup, logGroup, "StageForGroup", "stage_lookup", "API stage", "");
  }

  /**
   * What {@code lookup} says of {@code logGroup}, or null without one: a failing lookup must not
   * lose the line (counted under {@code operation}, logged once per group and {@code kind}). The
   * message is built only then: lookups run for every line.
   */
  @Nullable
  private <T> T lookUp(
      @Nullable Function<String, T> lookup,
      String logGroup,
      String operation,
      String kind,
      String what,
      String consequence) {
    if (lookup == null) {
      return null;
    }
    try {
      return lookup.apply(logGroup);
    } catch (RuntimeException e) {
      metrics.error(operation, kind);
      problems.warnOnce(
          logGroup,
          kind,
          "Looking up the " + what + " of " + logGroup + " failed" + consequence,
          e);
      return null;
    }
  }
}
