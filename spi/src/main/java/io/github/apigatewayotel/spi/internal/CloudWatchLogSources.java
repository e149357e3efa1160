package io.github.apigatewayotel.spi.internal;

import io.github.apigatewayotel.logs.AccessLogBridge;
import io.github.apigatewayotel.logs.CloudWatchLogsPoll;
import io.github.apigatewayotel.logs.CloudWatchLogsSource;
import io.github.apigatewayotel.logs.CloudWatchLogsSourceBuilder;
import io.github.apigatewayotel.logs.ExecutionLogBridge;
import io.github.apigatewayotel.logs.StageAccessLogFormats;
import io.opentelemetry.api.OpenTelemetry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Source {@code cloudwatch}: one {@link CloudWatchLogsSource} per account and region (the
 * credentials' own account, each role's, or both with linked accounts: {@link
 * AwsAccess#logAccesses}), each record with its account's {@code cloud.account.id}; with {@code
 * logs.format=auto}, each account's and region's stages' formats and log groups read from API
 * Gateway too.
 */
final class CloudWatchLogSources implements PluginSource {

  private static final Logger logger = Logger.getLogger(CloudWatchLogSources.class.getName());

  /**
   * Checkpoints of CloudWatch Logs groups live here, below the state directory; with several
   * accounts, those of each role's account in a subdirectory named by the account id.
   */
  static final String STATE_SUBDIRECTORY = "cloudwatch-logs";

  /** Checkpoints of execution-log groups, kept apart from the access logs'. */
  static final String EXECUTION_STATE_SUBDIRECTORY = "cloudwatch-execution-logs";

  private final String name;
  private final List<CloudWatchLogsSource> sources;

  /**
   * Per account and region, like {@link #sources} (same index); empty when execution logs are off.
   */
  private final List<CloudWatchLogsSource> executionSources;

  private final List<StageFormatRefresher> stageFormats;
  private final long intervalMillis;
  private volatile ScheduledFuture<?> chainedPolls;

  private CloudWatchLogSources(
      String name,
      List<CloudWatchLogsSource> sources,
      List<CloudWatchLogsSource> executionSources,
      List<StageFormatRefresher> stageFormats,
      long intervalMillis) {
    this.name = name;
    this.sources = sources;
    this.executionSources = executionSources;
    this.stageFormats = stageFormats;
    this.intervalMillis = intervalMillis;
  }

  /**
   * One factory for all regions: the regions may come from the AWS SDK's default chain, which is
   * looked up only when the runtime builds the source on its own thread.
   */
  static List<Supplier<PluginSource>> perRegion(
      ApiGatewayConfig config,
      AccessLogBridge bridge,
      ExecutionLogBridge executionLogs,
      OpenTelemetry sdk,
      AccountIdLookup accountId) {
    return List.of(() -> build(config, bridge, executionLogs, sdk, accountId));
  }

  /**
   * {@code accountId}: the look-up of the credentials' own account, shared with the receiver; each
   * role's account is named by its ARN instead. {@code executionLogs}: null when execution logs are
   * off.
   */
  private static PluginSource build(
      ApiGatewayConfig config,
      AccessLogBridge bridge,
      ExecutionLogBridge executionLogs,
      OpenTelemetry sdk,
      AccountIdLookup accountId) {
    List<CloudWatchLogsSource> sources = new ArrayList<>();
    List<CloudWatchLogsSource> executionSources = new ArrayList<>();
    List<StageFormatRefresher> stageFormats = new ArrayList<>();
    List<String> regions = AwsAccess.regions(config);
    List<String> accesses = AwsAccess.logAccesses(config);
    boolean several = accesses.size() > 1;
    if (config.linkedAccounts()) {
      logger.info(
          "apigateway-otel: "
              + ApiGatewayConfig.AWS_LINKED_ACCOUNTS
              + "=true reads the monitoring account's access logs and those of the "
              + config.roleArns().size()
              + " source account(s) listed in "
              + ApiGatewayConfig.AWS_ROLE_ARN
              + "; other linked accounts' access logs are not read (their metrics are)");
    }
    String ownAccount = null; // first in the list: known before any role is looked at
    for (String roleArn : accesses) {
      for (String region : regions) {
        AwsCredentialsProvider credentials = AwsAccess.credentials(config, region, roleArn);
        Optional<String> account;
        Supplier<String> accountLookup = null;
        if (roleArn == null) {
          account = config.accountId();
          if (account.isEmpty()) {
            // Asked now, with the SDK's retries, so the first poll's records carry it unless STS
            // fails; then at each poll, with a backoff, until STS answers.
            account = Optional.ofNullable(accountId.refresh());
            accountLookup = accountId::refresh;
          }
          ownAccount = account.orElse(ownAccount);
        } else {
          // the role's ARN names its account: no STS call needed, none to fail
          account =
              Optional.of(
                  several || config.accountId().isEmpty()
                      ? AwsAccess.accountOfRole(roleArn)
                      : config.accountId().get());
          if (account.get().equals(ownAccount)) {
            logger.warning(
                "apigateway-otel: "
                    + roleArn
                    + " is in the monitoring account "
                    + ownAccount
                    + ", whose access logs are read with the plugin's own credentials; not read twice");
            break;
          }
        }
        // Two accounts may hold groups of the same name: each keeps its checkpoints apart.
        String accountDirectory =
            several && roleArn != null ? "/" + AwsAccess.accountOfRole(roleArn) : "";
        sources.add(
            source(
                config,
                bridge,
                sdk,
                region,
                credentials,
                account,
                accountLookup,
                STATE_SUBDIRECTORY + accountDirectory,
                stageFormats));
        if (executionLogs != null) {
          CloudWatchLogsSourceBuilder execution =
              CloudWatchLogsSource.executionLogsBuilder(executionLogs)
                  .addLogGroupNamePrefixes(config.logSignals().executionLogGroupPrefixes());
          executionSources.add(
              configure(
                      execution,
                      config,
                      sdk,
                      region,
                      credentials,
                      account,
                      accountLookup,
                      EXECUTION_STATE_SUBDIRECTORY + accountDirectory)
                  .build());
        }
      }
    }
    return new CloudWatchLogSources(
        describe(config, regions, executionLogs != null),
        List.copyOf(sources),
        List.copyOf(executionSources),
        List.copyOf(stageFormats),
        config.cloudWatchLogs().pollInterval().toMillis());
  }

  /**
   * What is read, known before any poll: the groups themselves are discovered later (and logged
   * when found), so naming them here would print an empty list.
   */
  private static String describe(ApiGatewayConfig config, List<String> regions, boolean execution) {
    List<String> what = new ArrayList<>();
    config.cloudWatchLogs().describeAccessLogGroups(what);
    if (config.accessLogBridge().formatAuto()) {
      what.add("the groups stages log to (" + ApiGatewayConfig.LOGS_FORMAT + "=auto)");
    }
    if (execution) {
      what.add(
          "execution logs in groups starting with "
              + config.logSignals().executionLogGroupPrefixes());
    }
    return "cloudwatch logs in "
        + String.join(", ", regions)
        + " (regions from "
        + AwsAccess.regionsOrigin(config)
        + "): "
        + String.join(", ", what);
  }

  private static CloudWatchLogsSource source(
      ApiGatewayConfig config,
      AccessLogBridge bridge,
      OpenTelemetry sdk,
      String region,
      AwsCredentialsProvider credentials,
      Optional<String> account,
      Supplier<String> accountLookup,
      String stateSubdirectory,
      List<StageFormatRefresher> stageFormats) {
    CloudWatchLogsSourceBuilder builder = CloudWatchLogsSource.builder(bridge);
    config.cloudWatchLogs().applyAccessLogGroupsTo(builder);
    configure(builder, config, sdk, region, credentials, account, accountLookup, stateSubdirectory);
    if (config.accessLogBridge().formatAuto()) {
      StageFormatRefresher refresher = stageFormats(config, region, credentials, sdk);
      stageFormats.add(refresher);
      StageAccessLogFormats formats = refresher.formats();
      // Groups of stages found later are picked up at the source's next group discovery;
      // a group without a known stage format (null) is parsed with the fallback format.
      builder
          .addLogGroupNameSupplier(formats::logGroupNames)
          .setFormatForGroup(formats::formatOf)
          .setStageForGroup(formats::stageOf);
    }
    return builder.build();
  }

  /** What access-log and execution-log sources of one account and region share. */
  private static CloudWatchLogsSourceBuilder configure(
      CloudWatchLogsSourceBuilder builder,
      ApiGatewayConfig config,
      OpenTelemetry sdk,
      String region,
      AwsCredentialsProvider credentials,
      Optional<String> account,
      Supplier<String> accountLookup,
      String stateSubdirectory) {
    builder
        .setRegion(region)
        .setCredentialsProvider(credentials)
        .setCloudRegion(region)
        .setMeterProvider(sdk.getMeterProvider());
    config.cloudWatchLogs().applyTo(builder);
    config.awsEndpoint().ifPresent(builder::setEndpointOverride);
    if (accountLookup != null) {
      builder.setCloudAccountIdSupplier(accountLookup);
    } else {
      account.ifPresent(builder::setCloudAccountId);
    }
    config.stateDir().ifPresent(dir -> builder.setStateDirectory(dir.resolve(stateSubdirectory)));
    config
        .coordination()
        .fleet(config)
        .ifPresent(builder::setFleet); // checkpoints in the fleet table then
    return builder;
  }

  private static StageFormatRefresher stageFormats(
      ApiGatewayConfig config,
      String region,
      AwsCredentialsProvider credentials,
      OpenTelemetry sdk) {
    StageAccessLogFormats.Builder formats =
        StageAccessLogFormats.builder()
            .setRegion(region)
            .setCredentialsProvider(credentials)
            .setMeterProvider(sdk.getMeterProvider());
    config.awsEndpoint().ifPresent(formats::setEndpointOverride);
    return new StageFormatRefresher(formats.build(), config.cloudWatchLogs().discoveryInterval());
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<String> runOnce() {
    List<String> problems = new ArrayList<>();
    stageFormats.forEach(refresher -> refresher.lastProblem().ifPresent(problems::add));
    pollAll(problems);
    return problems;
  }

  /**
   * Access logs first, then execution logs, account and region by account and region: a request's
   * execution-log records then find the trace its access-log line named when both were written by
   * the time of the poll.
   */
  private void pollAll(List<String> problems) {
    for (int i = 0; i < sources.size(); i++) {
      CloudWatchLogsPoll poll = sources.get(i).pollOnce();
      problems.addAll(poll.problems());
      if (!executionSources.isEmpty()) {
        problems.addAll(executionSources.get(i).pollOnce().problems());
      }
    }
  }

  /** A throw would cancel the schedule for good: the next poll goes on instead. */
  private void pollAllSafely() {
    try {
      pollAll(new ArrayList<>());
    } catch (RuntimeException | LinkageError e) {
      logger.log(Level.WARNING, "CloudWatch Logs poll failed unexpectedly; next poll continues", e);
    }
  }

  @Override
  public void start(ScheduledExecutorService executor) {
    stageFormats.forEach(refresher -> refresher.start(executor));
    if (executionSources.isEmpty()) {
      sources.forEach(source -> source.start(executor));
      return;
    }
    chainedPolls =
        executor.scheduleWithFixedDelay(
            this::pollAllSafely, 0, intervalMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    ScheduledFuture<?> task = chainedPolls;
    if (task != null) {
      task.cancel(false);
    }
    sources.forEach(CloudWatchLogsSource::close);
    executionSources.forEach(CloudWatchLogsSource::close);
    stageFormats.forEach(StageFormatRefresher::close);
  }
}
