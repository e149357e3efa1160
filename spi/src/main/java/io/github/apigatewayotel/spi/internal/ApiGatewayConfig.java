package io.github.apigatewayotel.spi.internal;

import static io.github.apigatewayotel.spi.internal.StrictProperties.invalid;
import static io.github.apigatewayotel.spi.internal.StrictProperties.optional;
import static io.github.apigatewayotel.spi.internal.StrictProperties.parseEnum;
import static io.github.apigatewayotel.spi.internal.StrictProperties.require;
import static io.github.apigatewayotel.spi.internal.StrictProperties.spelling;
import static io.github.apigatewayotel.spi.internal.StrictProperties.strictBoolean;
import static io.github.apigatewayotel.spi.internal.StrictProperties.usableDirectory;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every {@code otel.apigateway.*} property: its key, its default, and its parsed value. {@link
 * #fromConfig} is the only place that reads them; a bad value fails start-up with a {@link
 * ConfigurationException} that names the key and the value (never the value of a secret: {@link
 * #isSecretKey}).
 */
public final class ApiGatewayConfig {

  public static final String METRICS_ENABLED = "otel.apigateway.metrics.enabled";
  public static final String LOGS_ENABLED = "otel.apigateway.logs.enabled";

  /**
   * Whether sources wait for the host's exporter to confirm an export before moving their
   * checkpoints (so an OTLP outage or a crash loses nothing); false counts the hand-over to the SDK
   * as delivered, as an SDK without this plugin would.
   */
  public static final String EXPORT_CONFIRM = "otel.apigateway.export.confirm";

  public static final String MODE = "otel.apigateway.mode";
  public static final String REGIONS = "otel.apigateway.regions";
  public static final String AWS_ENDPOINT = "otel.apigateway.aws.endpoint";

  /** Comma-separated IAM role ARNs, one per account. */
  public static final String AWS_ROLE_ARN = "otel.apigateway.aws.role.arn";

  /**
   * A secret (it guards the role against the confused deputy): never echoed in messages. One value
   * for every role.
   */
  public static final String AWS_ROLE_EXTERNAL_ID = "otel.apigateway.aws.role.external.id";

  /**
   * Whether the credentials' account is a CloudWatch monitoring account read with its linked
   * accounts.
   */
  public static final String AWS_LINKED_ACCOUNTS = "otel.apigateway.aws.linked.accounts";

  public static final String AWS_ACCOUNT_ID = "otel.apigateway.aws.account.id";
  public static final String STATE_DIR = "otel.apigateway.state.dir";

  public static final String METRICS_PERIOD = "otel.apigateway.metrics.period";
  public static final String METRICS_DELAY = "otel.apigateway.metrics.delay";
  public static final String METRICS_INTERVAL = "otel.apigateway.metrics.interval";
  public static final String METRICS_TEMPORALITY = "otel.apigateway.metrics.temporality";
  public static final String DISCOVERY_INTERVAL = "otel.apigateway.discovery.interval";
  public static final String APIS_INCLUDE = "otel.apigateway.apis.include";
  public static final String APIS_EXCLUDE = "otel.apigateway.apis.exclude";
  public static final String APIS_INCLUDE_TAGS = "otel.apigateway.apis.include.tags";
  public static final String APIS_EXCLUDE_TAGS = "otel.apigateway.apis.exclude.tags";
  public static final String METRICS_LOOKBACK = "otel.apigateway.metrics.lookback";
  public static final String METRICS_DETAILED = "otel.apigateway.metrics.detailed";
  public static final String METRICS_CONCURRENCY = "otel.apigateway.metrics.concurrency";

  /**
   * The most datapoints held for export (failed exports included); past it, dropped and counted.
   */
  public static final String METRICS_MAX_PENDING_POINTS =
      "otel.apigateway.metrics.max.pending.points";

  /**
   * Deprecated and ignored: GetMetricData always goes through the AWS SDK's CloudWatch client. Its
   * former values {@code lean} and {@code sdk} are accepted with a warning; any other fails.
   */
  public static final String METRICS_TRANSPORT = "otel.apigateway.metrics.transport";

  /** Dotted, so that OTEL_APIGATEWAY_METRICS_EXPORT_MAX_POINTS reaches it unchanged. */
  public static final String METRICS_EXPORT_MAX_POINTS =
      "otel.apigateway.metrics.export.max.points";

  /**
   * {@code Metric:stat|stat,...}: the statistics read of the metrics named (others: all of theirs).
   */
  public static final String METRICS_STATISTICS = "otel.apigateway.metrics.statistics";

  /**
   * Whether discovery lists only series with datapoints in the past three hours (ListMetrics
   * RecentlyActive).
   */
  public static final String METRICS_RECENTLY_ACTIVE = "otel.apigateway.metrics.recently.active";

  /** GetMetricData's price, US dollars per 1,000 metrics requested, for the cost estimates. */
  public static final String METRICS_PRICE_PER_THOUSAND_REQUESTS =
      "otel.apigateway.metrics.price.per.thousand.requests";

  public static final String TAGS_PREFIX = "otel.apigateway.tags.prefix";

  public static final String LOGS_SOURCE = "otel.apigateway.logs.source";
  public static final String LOGS_FORMAT = "otel.apigateway.logs.format";
  public static final String LOGS_LOOKBACK = "otel.apigateway.logs.lookback";
  public static final String LOGS_GROUPS = "otel.apigateway.logs.groups";
  public static final String LOGS_GROUP_PREFIXES = "otel.apigateway.logs.group.prefixes";
  public static final String LOGS_INTERVAL = "otel.apigateway.logs.interval";
  public static final String LOGS_OVERLAP = "otel.apigateway.logs.overlap";
  public static final String LOGS_CLIENT_ADDRESS = "otel.apigateway.logs.client.address";

  /** A secret: never echoed in messages. */
  public static final String LOGS_CLIENT_ADDRESS_KEY = "otel.apigateway.logs.client.address.key";

  /** The exporter's own temporality preference, followed unless {@link #METRICS_TEMPORALITY}. */
  static final String OTLP_METRICS_TEMPORALITY =
      "otel.exporter.otlp.metrics.temporality.preference";

  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");
  private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
  private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::(\\d{12}):role/.+");

  /** How the plugin runs its sources. */
  public enum Mode {
    /** Poll and follow on the plugin's own daemon threads until the host stops. */
    CONTINUOUS,
    /** Run each source once to its end (a file to EOF, one metrics poll), then stop. */
    ONCE
  }

  /** Sum temporality for the receiver's metrics. */
  public enum Temporality {
    DELTA,
    CUMULATIVE
  }

  private final boolean metricsEnabled;
  private final boolean logsEnabled;
  private final boolean exportConfirm;
  private final Mode mode;
  private final List<String> regions;
  private final Optional<URI> awsEndpoint;
  private final List<String> roleArns;
  private final Optional<String> roleExternalId;
  private final boolean linkedAccounts;
  private final Optional<String> accountId;
  private final Optional<Path> stateDir;

  /** Fleet mode: {@link FleetCoordination#COORDINATION}. */
  private final FleetCoordination coordination;

  private final ReceiverProperties receiver;
  private final Temporality temporality;
  private final List<AccessLogLocation> logSources;
  private final AccessLogBridgeProperties accessLogBridge;
  private final CloudWatchLogsProperties cloudWatchLogs;
  private final LogSignalsConfig logSignals;

  private ApiGatewayConfig(ConfigProperties config) {
    metricsEnabled = strictBoolean(config, METRICS_ENABLED, true);
    logsEnabled = strictBoolean(config, LOGS_ENABLED, true);
    exportConfirm = strictBoolean(config, EXPORT_CONFIRM, true);
    mode = parseEnum(config, MODE, Mode.class, Mode.CONTINUOUS);
    // Each region once: two copies would read every log line twice into one checkpoint.
    regions = List.copyOf(new java.util.LinkedHashSet<>(config.getList(REGIONS)));
    for (String region : regions) {
      require(REGION.matcher(region).matches(), REGIONS, region, "an AWS region such as us-east-1");
    }
    awsEndpoint = optional(config, AWS_ENDPOINT).map(value -> parseEndpoint(value));
    roleArns = parseRoleArns(config);
    String externalIdKey = spelling(config, AWS_ROLE_EXTERNAL_ID);
    roleExternalId = optional(config, externalIdKey);
    // An external id only goes with a role to assume: alone, it would be silently unused.
    if (roleExternalId.isPresent() && roleArns.isEmpty()) {
      throw new ConfigurationException(
          "Invalid value for property "
              + externalIdKey
              + " (a secret, not shown): expected to be set only with "
              + AWS_ROLE_ARN);
    }
    linkedAccounts = strictBoolean(config, AWS_LINKED_ACCOUNTS, false);
    accountId = optional(config, AWS_ACCOUNT_ID);
    accountId.ifPresent(
        id -> require(ACCOUNT_ID.matcher(id).matches(), AWS_ACCOUNT_ID, id, "12 digits"));
    // Each role's account is its own: one configured id cannot name several.
    require(
        accountId.isEmpty() || roleArns.size() < 2 || linkedAccounts,
        AWS_ACCOUNT_ID,
        accountId.orElse(""),
        "no value when "
            + AWS_ROLE_ARN
            + " lists several roles (each account's points carry its own id); with "
            + AWS_LINKED_ACCOUNTS
            + "=true it names the monitoring account");
    stateDir = optional(config, STATE_DIR).map(value -> usableDirectory(STATE_DIR, value));
    coordination = FleetCoordination.read(config);
    StrictProperties.require(
        !coordination.enabled() || mode != Mode.ONCE,
        FleetCoordination.COORDINATION,
        config.getString(FleetCoordination.COORDINATION),
        "none in "
            + MODE
            + "=once (a run to its end reads alone; a fleet shares continuous polling)");

    receiver = ReceiverProperties.read(config);
    temporality = parseTemporality(config);
    logSources = AccessLogLocation.parse(LOGS_SOURCE, config.getList(LOGS_SOURCE));
    accessLogBridge = AccessLogBridgeProperties.read(config, logSources);
    cloudWatchLogs = CloudWatchLogsProperties.read(config);
    logSignals = LogSignalsConfig.read(config, logSources);
  }

  /** Each role ARN, one per account (two roles in one account would read it twice). */
  private static List<String> parseRoleArns(ConfigProperties config) {
    List<String> arns = config.getList(AWS_ROLE_ARN);
    Map<String, String> byAccount = new java.util.LinkedHashMap<>();
    for (String arn : arns) {
      java.util.regex.Matcher matcher = ROLE_ARN.matcher(arn);
      require(
          matcher.matches(),
          AWS_ROLE_ARN,
          arn,
          "IAM role ARNs such as arn:aws:iam::123456789012:role/name, comma-separated");
      String other = byAccount.put(matcher.group(1), arn);
      require(
          other == null,
          AWS_ROLE_ARN,
          String.join(",", arns),
          "one role per account ("
              + other
              + " and "
              + arn
              + " are both in "
              + matcher.group(1)
              + ")");
    }
    return List.copyOf(arns);
  }

  /**
   * Reads and validates every {@code otel.apigateway.*} property. Keys set but never read (typos)
   * are named once, with the nearest key, even when a value fails: the key the user meant may be
   * why. So that every key is known, the constructor reads each key whatever the others say.
   */
  public static ApiGatewayConfig fromConfig(ConfigProperties config) {
    PropertyKeysRead read = new PropertyKeysRead(config);
    try {
      ApiGatewayConfig parsed = new ApiGatewayConfig(read);
      if (parsed.logsEnabled) {
        parsed.accessLogBridge.warnOfUndocumentedFormatVariables();
      }
      return parsed;
    } finally {
      Set<String> known = new HashSet<>(KnownKeys.ALL);
      known.addAll(read.keys());
      known.addAll(PushPropertyKeys.ALL); // the Firehose endpoint's, read by the standalone host
      UnknownPropertyKeys.warn(known);
    }
  }

  /** The keys the plugin reads: those read from an empty configuration, every default taken. */
  static final class KnownKeys {
    static final Set<String> ALL = readFromEmptyConfiguration();

    private KnownKeys() {}

    private static Set<String> readFromEmptyConfiguration() {
      PropertyKeysRead read = new PropertyKeysRead(DefaultConfigProperties.createFromMap(Map.of()));
      new ApiGatewayConfig(read);
      return read.keys();
    }
  }

  private static Temporality parseTemporality(ConfigProperties config) {
    if (config.getString(METRICS_TEMPORALITY) != null) {
      return parseEnum(config, METRICS_TEMPORALITY, Temporality.class, Temporality.DELTA);
    }
    // The OTLP exporter's preference: "cumulative" (its default), "delta" or "lowmemory"; the
    // latter two both export monotonic sums as delta.
    String preference = config.getString(OTLP_METRICS_TEMPORALITY, "cumulative");
    return preference.trim().equalsIgnoreCase("cumulative")
        ? Temporality.CUMULATIVE
        : Temporality.DELTA;
  }

  private static URI parseEndpoint(String value) {
    try {
      URI uri = new URI(value);
      require(
          uri.getScheme() != null
              && (uri.getScheme().equals("http") || uri.getScheme().equals("https"))
              && uri.getHost() != null,
          AWS_ENDPOINT,
          value,
          "an absolute http(s) URL");
      return uri;
    } catch (URISyntaxException e) {
      throw invalid(AWS_ENDPOINT, value, "an absolute http(s) URL");
    }
  }

  /**
   * Whether {@code key} (any spelling) holds a secret, never shown: {@link
   * StrictProperties#isSecretKey}.
   */
  public static boolean isSecretKey(String key) {
    return StrictProperties.isSecretKey(key);
  }

  public boolean metricsEnabled() {
    return metricsEnabled;
  }

  public boolean logsEnabled() {
    return logsEnabled;
  }

  public boolean exportConfirm() {
    return exportConfirm;
  }

  public Mode mode() {
    return mode;
  }

  /** The configured regions; empty means the AWS SDK's default region chain. */
  public List<String> regions() {
    return regions;
  }

  public Optional<URI> awsEndpoint() {
    return awsEndpoint;
  }

  /** The roles to assume, one per account; empty: the credentials' own account. */
  public List<String> roleArns() {
    return roleArns;
  }

  /**
   * Whether the credentials' account is a CloudWatch monitoring account read with its linked
   * accounts.
   */
  public boolean linkedAccounts() {
    return linkedAccounts;
  }

  public Optional<String> roleExternalId() {
    return roleExternalId;
  }

  public Optional<String> accountId() {
    return accountId;
  }

  public Optional<Path> stateDir() {
    return stateDir;
  }

  FleetCoordination coordination() {
    return coordination;
  }

  public Temporality temporality() {
    return temporality;
  }

  /** The receiver's own properties, applied onto its builder when it is built. */
  ReceiverProperties receiver() {
    return receiver;
  }

  public List<AccessLogLocation> logSources() {
    return logSources;
  }

  /** The access-log bridge's properties (format, client addresses), applied onto its builder. */
  AccessLogBridgeProperties accessLogBridge() {
    return accessLogBridge;
  }

  /**
   * The CloudWatch Logs sources' properties, applied onto each source's builder; their intervals
   * pace the file sources and the stage-format refresher too.
   */
  CloudWatchLogsProperties cloudWatchLogs() {
    return cloudWatchLogs;
  }

  /** Request metrics from access logs, and execution logs ({@link LogSignalsConfig}). */
  LogSignalsConfig logSignals() {
    return logSignals;
  }
}
