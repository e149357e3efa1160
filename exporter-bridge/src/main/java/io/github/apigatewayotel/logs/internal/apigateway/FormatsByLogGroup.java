package io.github.apigatewayotel.logs.internal.apigateway;

import io.github.apigatewayotel.logs.AccessLogFormat;
import io.github.apigatewayotel.logs.ApiStage;
import io.github.apigatewayotel.logs.ContextVariables;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Turns stages' access-log settings into one format per CloudWatch Logs group. Each distinct format
 * string is compiled once and reused across refreshes. A format that does not compile is logged
 * once and its stage skipped (its group then uses the fallback format); Firehose destinations are
 * skipped. When stages sharing a group disagree, the first stage listed wins, logged once. A group
 * several stages write to names no stage: its lines carry their own {@code $context.apiId} and
 * {@code $context.stage} if the format has them, never another stage's.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class FormatsByLogGroup {

  private static final Logger logger = Logger.getLogger(FormatsByLogGroup.class.getName());

  private final FormatDiscoveryMetrics metrics;
  private final Map<String, AccessLogFormat> compiled = new HashMap<>();
  private final Set<String> reported = ConcurrentHashMap.newKeySet();
  private volatile Map<String, ApiStage> stages = Map.of();

  public FormatsByLogGroup(FormatDiscoveryMetrics metrics) {
    this.metrics = metrics;
  }

  public synchronized Map<String, AccessLogFormat> map(List<StageLogSetting> settings) {
    Map<String, AccessLogFormat> byGroup = new LinkedHashMap<>();
    Map<String, AccessLogFormat> inUse = new HashMap<>();
    Map<String, ApiStage> stageByGroup = new HashMap<>();
    Set<String> sharedGroups = new HashSet<>();
    for (StageLogSetting setting : settings) {
      String group = LogGroupArns.logGroupName(setting.destinationArn());
      if (group == null) {
        continue; // Kinesis Data Firehose: nothing to read from CloudWatch Logs
      }
      AccessLogFormat format = compile(setting);
      if (format == null) {
        continue;
      }
      inUse.put(setting.format(), format);
      ApiStage stage = new ApiStage(setting.apiId(), setting.stage(), setting.apiType());
      ApiStage first = stageByGroup.putIfAbsent(group, stage);
      if (first != null && !first.equals(stage)) {
        sharedGroups.add(group);
      }
      AccessLogFormat earlier = byGroup.putIfAbsent(group, format);
      if (earlier != null
          && !earlier.template().equals(format.template())
          && reported.add("shared\n" + group)) {
        logger.log(
            Level.WARNING,
            "Stages write access logs in different formats to the same log group {0}; reading it"
                + " with the first stage''s format, lines of the others will not parse",
            group);
      }
    }
    compiled.keySet().retainAll(inUse.keySet());
    stageByGroup.keySet().removeAll(sharedGroups);
    stages = Map.copyOf(stageByGroup);
    return Collections.unmodifiableMap(byGroup);
  }

  /**
   * The stage writing to each log group, as of the last {@link #map}; groups several stages write
   * to are absent (which stage wrote a line is then only known from the line itself).
   */
  public Map<String, ApiStage> stages() {
    return stages;
  }

  private AccessLogFormat compile(StageLogSetting setting) {
    String template = setting.format();
    if (template == null || template.isBlank()) {
      return null;
    }
    AccessLogFormat known = compiled.get(template);
    if (known != null) {
      return known;
    }
    try {
      AccessLogFormat format = AccessLogFormat.of(template);
      compiled.put(template, format);
      warnOfUndocumentedVariables(setting, format);
      return format;
    } catch (IllegalArgumentException e) {
      metrics.error(FormatDiscoveryMetrics.INVALID_FORMAT);
      if (reported.add("invalid\n" + setting.api() + "\n" + template)) {
        logger.log(
            Level.WARNING,
            "The access-log format of stage {0} cannot be parsed ({1}); its log group uses the"
                + " fallback format",
            new Object[] {setting.api(), e.getMessage()});
      }
      return null;
    }
  }

  /**
   * A variable API Gateway does not document is most likely a typo (its records lack the attribute
   * the user wanted): said once per format, when the format is first read. Only a warning, since a
   * variable AWS adds later must keep working.
   */
  private void warnOfUndocumentedVariables(StageLogSetting setting, AccessLogFormat format) {
    List<ContextVariables.Undocumented> undocumented = ContextVariables.undocumentedIn(format);
    if (!undocumented.isEmpty() && reported.add("undocumented\n" + format.template())) {
      logger.log(
          Level.WARNING,
          "The access-log format of stage {0} uses $context variables API Gateway does not"
              + " document: {1}. Check their spelling: each becomes an aws.apigateway.context.* attribute"
              + " and none of the attributes the documented name maps to",
          new Object[] {
            setting.api(),
            undocumented.stream()
                .map(ContextVariables.Undocumented::describe)
                .collect(Collectors.joining(", "))
          });
    }
  }
}
