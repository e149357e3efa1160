package io.github.apigatewayotel.spi.internal;

import io.github.apigatewayotel.logs.AccessLogFormat;
import io.github.apigatewayotel.logs.ClientAddressPolicy;
import io.github.apigatewayotel.logs.ContextVariables;
import io.github.apigatewayotel.logs.internal.NearestName;
import io.github.apigatewayotel.receiver.ApiGatewayMetricsReceiver;
import io.github.apigatewayotel.receiver.CloudWatchCost;
import io.github.apigatewayotel.receiver.MetricStatistics;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Every {@code otel.apigateway.*} property: its key, its default, and its parsed value. {@link
 * #fromConfig} is the only place that reads them; a bad value fails start-up with a {@link
 * ConfigurationException} that names the key and the value (never the value of a secret: {@link
 * #isSecretKey}).
 */
public final class ApiGatewayConfig {

  private static final Logger LOGGER = Logger.getLogger(ApiGatewayConfig.class.getName());

  public static final String METRICS_ENABLED = "otel.apigateway.metrics.enabled";
  public static final String LOGS_ENABLED = "otel.apigateway.logs.enabled";
  /**
   * Whether sources wait for the host's exporter to confirm an export before moving their
   * checkpoints (so an OTLP outage or a crash loses nothing); false counts the hand-over to the
   * SDK as delivered, as an SDK without this plugin would.
   */
  public static final String EXPORT_CONFIRM = "otel.apigateway.export.confirm";
  public static final String MODE = "otel.apigateway.mode";
  public static final String REGIONS = "otel.apigateway.regions";
  public static final String AWS_ENDPOINT = "otel.apigateway.aws.endpoint";
  /** Comma-separated IAM role ARNs, one per account. */
  public static final String AWS_ROLE_ARN = "otel.apigateway.aws.role.arn";
  /** A secret (it guards the role against the confused deputy): never echoed in messages. One value for every role. */
  public static final String AWS_ROLE_EXTERNAL_ID = "otel.apigateway.aws.role.external_id";
  /** Whether the credentials' account is a CloudWatch monitoring account read with its linked accounts. */
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
  /** The most datapoints held for export (failed exports included); past it, dropped and counted. */
  public static final String METRICS_MAX_PENDING_POINTS = "otel.apigateway.metrics.max_pending_points";
  /**
   * Deprecated and ignored: GetMetricData always goes through the AWS SDK's CloudWatch client. Its
   * former values {@code lean} and {@code sdk} are accepted with a warning; any other fails.
   */
  public static final String METRICS_TRANSPORT = "otel.apigateway.metrics.transport";
  /** Dotted, so that OTEL_APIGATEWAY_METRICS_EXPORT_MAX_POINTS reaches it unchanged. */
  public static final String METRICS_EXPORT_MAX_POINTS = "otel.apigateway.metrics.export.max.points";
  /** {@code Metric:stat|stat,...}: the statistics read of the metrics named (others: all of theirs). */
  public static final String METRICS_STATISTICS = "otel.apigateway.metrics.statistics";
  /** Whether discovery lists only series with datapoints in the past three hours (ListMetrics RecentlyActive). */
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
  public static final String LOGS_CLIENT_ADDRESS = "otel.apigateway.logs.client_address";
  /** A secret: never echoed in messages. */
  public static final String LOGS_CLIENT_ADDRESS_KEY = "otel.apigateway.logs.client_address.key";

  /**
   * The keys whose values are secrets, as {@link #isSecretKey} compares them (lower case, {@code _}
   * and {@code -} as dots); the OTLP exporters' {@code otel.exporter.otlp[.signal].headers} too.
   */
  private static final java.util.Set<String> SECRET_KEYS =
      java.util.Set.of(secretForm(AWS_ROLE_EXTERNAL_ID), secretForm(LOGS_CLIENT_ADDRESS_KEY));

  /** The exporter's own temporality preference, followed unless {@link #METRICS_TEMPORALITY}. */
  static final String OTLP_METRICS_TEMPORALITY =
      "otel.exporter.otlp.metrics.temporality.preference";

  static final Duration DEFAULT_METRICS_PERIOD = Duration.ofMinutes(1);
  static final Duration DEFAULT_METRICS_DELAY = Duration.ofMinutes(3);
  static final Duration DEFAULT_METRICS_INTERVAL = ApiGatewayMetricsReceiver.DEFAULT_POLL_INTERVAL;
  /** A poll reads at most this many periods back: a longer interval would lose periods. */
  private static final int MAX_INTERVAL_PERIODS = 200;
  static final Duration DEFAULT_DISCOVERY_INTERVAL = Duration.ofMinutes(15);
  static final Duration DEFAULT_LOGS_LOOKBACK = Duration.ofMinutes(15);
  static final Duration DEFAULT_LOGS_INTERVAL = Duration.ofSeconds(10);
  static final Duration DEFAULT_LOGS_OVERLAP = Duration.ofMinutes(5);
  static final String DEFAULT_TAGS_PREFIX = "aws.tag.";
  static final String DEFAULT_LOG_GROUP_PREFIX = "api-gateway";
  static final String FILE_SOURCE_PREFIX = "file:";
  static final String CLOUDWATCH_SOURCE = "cloudwatch";
  /** {@link #LOGS_FORMAT} value: each stage's own format, read from API Gateway. */
  static final String AUTO_FORMAT = "auto";

  static final Duration DEFAULT_METRICS_LOOKBACK = Duration.ofMinutes(10);
  static final int DEFAULT_METRICS_CONCURRENCY = 4;
  /** CloudWatch's default GetMetricData quota is 50 transactions per second. */
  static final int MAX_METRICS_CONCURRENCY = 50;

  /** AWS/ApiGateway publishes one-minute data: periods are whole minutes. */
  private static final long PERIOD_UNIT_SECONDS = 60;

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

  /** One access-log source: CloudWatch Logs, or a file. */
  public record LogSource(Path file) {
    public boolean isCloudWatch() {
      return file == null;
    }
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
  /** Fleet mode (issue 18): {@link FleetCoordination#COORDINATION}. */
  private final FleetCoordination coordination;
  private final Duration metricsPeriod;
  private final Duration metricsDelay;
  private final Duration metricsInterval;
  private final Temporality temporality;
  private final Duration discoveryInterval;
  private final List<String> apisInclude;
  private final List<String> apisExclude;
  private final Map<String, String> apisIncludeTags;
  private final Map<String, String> apisExcludeTags;
  private final Duration metricsLookback;
  private final boolean metricsDetailed;
  private final int metricsConcurrency;
  private final int metricsMaxPendingPoints;
  private final MetricStatistics metricsStatistics;
  private final boolean metricsRecentlyActive;
  private final double metricsPricePerThousandRequests;
  private final int metricsExportMaxPoints;
  private final String tagsPrefix;
  private final List<LogSource> logSources;
  private final AccessLogFormat logsFormat;
  private final boolean logsFormatAuto;
  private final Duration logsLookback;
  private final List<String> logGroups;
  private final List<String> logGroupPrefixes;
  private final Duration logsInterval;
  private final Duration logsOverlap;
  private final ClientAddressPolicy clientAddressPolicy;
  private final LogSignalsConfig logSignals;

  private ApiGatewayConfig(ConfigProperties properties) {
    // Keys with an underscore (max_pending_points) cannot come from environment variables as
    // autoconfigure maps them (every _ becomes a dot): read both spellings.
    ConfigProperties config = EnvironmentVariableKeys.of(properties);
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
    roleExternalId = optional(config, AWS_ROLE_EXTERNAL_ID);
    // An external id only goes with a role to assume: alone, it would be silently unused.
    if (roleExternalId.isPresent() && roleArns.isEmpty()) {
      throw new ConfigurationException(
          "Invalid value for property "
              + AWS_ROLE_EXTERNAL_ID
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
    require(!coordination.enabled() || mode != Mode.ONCE, FleetCoordination.COORDINATION,
        config.getString(FleetCoordination.COORDINATION),
        "none in " + MODE + "=once (a run to its end reads alone; a fleet shares continuous polling)");

    metricsPeriod = positive(config, METRICS_PERIOD, DEFAULT_METRICS_PERIOD);
    require(
        metricsPeriod.getNano() == 0 && metricsPeriod.getSeconds() % PERIOD_UNIT_SECONDS == 0,
        METRICS_PERIOD,
        config.getString(METRICS_PERIOD),
        "a whole number of minutes (AWS/ApiGateway metrics have one-minute resolution)");
    metricsLookback = positive(config, METRICS_LOOKBACK, DEFAULT_METRICS_LOOKBACK);
    requireLookbackCoversPeriod(config);
    metricsDelay = nonNegative(config, METRICS_DELAY, DEFAULT_METRICS_DELAY);
    metricsDetailed = strictBoolean(config, METRICS_DETAILED, true);
    metricsConcurrency = intInRange(config, METRICS_CONCURRENCY, DEFAULT_METRICS_CONCURRENCY, 1, MAX_METRICS_CONCURRENCY);
    metricsMaxPendingPoints =
        intInRange(
            config,
            METRICS_MAX_PENDING_POINTS,
            ApiGatewayMetricsReceiver.DEFAULT_MAX_PENDING_POINTS,
            ApiGatewayMetricsReceiver.MIN_PENDING_POINTS,
            Integer.MAX_VALUE);
    metricsExportMaxPoints =
        intInRange(
            config,
            METRICS_EXPORT_MAX_POINTS,
            ApiGatewayMetricsReceiver.DEFAULT_MAX_EXPORT_POINTS,
            ApiGatewayMetricsReceiver.MIN_EXPORT_POINTS,
            Integer.MAX_VALUE);
    warnIfTransportSet(config);
    metricsInterval = positive(config, METRICS_INTERVAL, DEFAULT_METRICS_INTERVAL);
    require(
        metricsInterval.compareTo(metricsPeriod.multipliedBy(MAX_INTERVAL_PERIODS)) <= 0,
        METRICS_INTERVAL,
        config.getString(METRICS_INTERVAL),
        "at most "
            + MAX_INTERVAL_PERIODS
            + " periods ("
            + metricsPeriod.multipliedBy(MAX_INTERVAL_PERIODS)
            + "): a poll reads at most that far back");
    metricsStatistics = parseStatistics(config);
    metricsRecentlyActive = strictBoolean(config, METRICS_RECENTLY_ACTIVE, true);
    metricsPricePerThousandRequests = parsePrice(config);
    temporality = parseTemporality(config);
    discoveryInterval = positive(config, DISCOVERY_INTERVAL, DEFAULT_DISCOVERY_INTERVAL);
    apisInclude = config.getList(APIS_INCLUDE);
    apisExclude = config.getList(APIS_EXCLUDE);
    apisIncludeTags = config.getMap(APIS_INCLUDE_TAGS);
    apisExcludeTags = config.getMap(APIS_EXCLUDE_TAGS);
    String prefix = config.getString(TAGS_PREFIX);
    tagsPrefix = prefix == null ? DEFAULT_TAGS_PREFIX : prefix.trim();

    logSources = parseLogSources(config);
    logsFormatAuto = isAuto(config.getString(LOGS_FORMAT));
    logsFormat = logsFormatAuto ? AccessLogFormat.defaultFormat() : parseFormat(config);
    if (logsFormatAuto) {
      for (LogSource source : logSources) {
        require(
            source.isCloudWatch(),
            LOGS_FORMAT,
            config.getString(LOGS_FORMAT),
            "a format or format name when "
                + LOGS_SOURCE
                + " reads a file ('auto' reads each stage's format and log group from API Gateway,"
                + " which says nothing about files)");
      }
    }
    logsLookback = nonNegative(config, LOGS_LOOKBACK, DEFAULT_LOGS_LOOKBACK);
    logGroups = config.getList(LOGS_GROUPS);
    List<String> prefixes = config.getList(LOGS_GROUP_PREFIXES);
    logGroupPrefixes =
        prefixes.isEmpty() && logGroups.isEmpty() ? List.of(DEFAULT_LOG_GROUP_PREFIX) : prefixes;
    logsInterval = positive(config, LOGS_INTERVAL, DEFAULT_LOGS_INTERVAL);
    logsOverlap = nonNegative(config, LOGS_OVERLAP, DEFAULT_LOGS_OVERLAP);
    clientAddressPolicy =
        clientAddressPolicy(
            LOGS_CLIENT_ADDRESS,
            config.getString(LOGS_CLIENT_ADDRESS),
            LOGS_CLIENT_ADDRESS_KEY,
            config.getString(LOGS_CLIENT_ADDRESS_KEY));
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
          "one role per account (" + other + " and " + arn + " are both in " + matcher.group(1) + ")");
    }
    return List.copyOf(arns);
  }

  /**
   * The client-address policy from a mode ({@code keep}, {@code truncate}, {@code hash}) and, for
   * {@code hash}, a key (its UTF-8 bytes). Shared with the Lambda forwarder, which reads the same
   * settings from its environment under other names; the key's value never appears in a message.
   */
  public static ClientAddressPolicy clientAddressPolicy(
      String modeKey, String mode, String keyKey, String key) {
    String value = mode == null ? "" : mode.strip().toLowerCase(Locale.ROOT);
    switch (value) {
      case "", "keep":
        return ClientAddressPolicy.keep();
      case "truncate":
        return ClientAddressPolicy.truncate();
      case "hash":
        if (key == null || key.isBlank()) {
          throw new ConfigurationException(
              "Missing property "
                  + keyKey
                  + ": "
                  + modeKey
                  + "=hash needs a secret key (an unkeyed hash of an IPv4 address is reversed by"
                  + " hashing all 2^32 addresses)");
        }
        return ClientAddressPolicy.hash(key.getBytes(StandardCharsets.UTF_8));
      default:
        throw invalid(modeKey, mode, "one of [keep, truncate, hash]");
    }
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
      parsed.warnOfUndocumentedFormatVariables();
      return parsed;
    } finally {
      Set<String> known = new HashSet<>(KnownKeys.ALL);
      known.addAll(read.keys());
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

  /** A typo in a format string gives records without the attribute the user wanted: say so. */
  private void warnOfUndocumentedFormatVariables() {
    if (logsEnabled && !logsFormatAuto) {
      List<ContextVariables.Undocumented> undocumented = ContextVariables.undocumentedIn(logsFormat);
      if (!undocumented.isEmpty()) {
        Logger.getLogger(ApiGatewayConfig.class.getName())
            .warning(
                "apigateway-otel: "
                    + LOGS_FORMAT
                    + " uses $context variables API Gateway does not document: "
                    + undocumented.stream()
                        .map(ContextVariables.Undocumented::describe)
                        .collect(Collectors.joining(", "))
                    + ". Check their spelling: each becomes an aws.apigateway.context.* attribute"
                    + " and none of the attributes the documented name maps to");
      }
    }
  }

  /** {@code Metric:stat|stat,...}; an unknown metric or statistic is named in the message. */
  private static MetricStatistics parseStatistics(ConfigProperties config) {
    String value = config.getString(METRICS_STATISTICS);
    if (value == null || value.isBlank()) {
      return MetricStatistics.all();
    }
    try {
      return MetricStatistics.parse(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(
          "Invalid value for property " + METRICS_STATISTICS + "=" + value + ": " + e.getMessage(), e);
    }
  }

  private static double parsePrice(ConfigProperties config) {
    String value = config.getString(METRICS_PRICE_PER_THOUSAND_REQUESTS);
    if (value == null || value.isBlank()) {
      return CloudWatchCost.DEFAULT_PRICE_PER_THOUSAND_METRIC_REQUESTS;
    }
    try {
      double price = Double.parseDouble(value.trim());
      require(
          price >= 0 && !Double.isInfinite(price),
          METRICS_PRICE_PER_THOUSAND_REQUESTS,
          value,
          "a price in US dollars of zero or more, such as 0.01");
      return price;
    } catch (NumberFormatException e) {
      throw invalid(
          METRICS_PRICE_PER_THOUSAND_REQUESTS, value, "a price in US dollars of zero or more, such as 0.01");
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

  private static List<LogSource> parseLogSources(ConfigProperties config) {
    List<String> values = config.getList(LOGS_SOURCE);
    if (values.isEmpty()) {
      return List.of(new LogSource(null));
    }
    List<LogSource> sources = new ArrayList<>();
    for (String value : values) {
      if (value.equalsIgnoreCase(CLOUDWATCH_SOURCE)) {
        sources.add(new LogSource(null));
      } else if (value.startsWith(FILE_SOURCE_PREFIX)
          && value.length() > FILE_SOURCE_PREFIX.length()) {
        Path file = parsePath(LOGS_SOURCE, value.substring(FILE_SOURCE_PREFIX.length()));
        // A file that does not exist yet is followed until it appears; a directory never fits.
        require(!Files.isDirectory(file), LOGS_SOURCE, value, "a file, not a directory");
        sources.add(new LogSource(file));
      } else {
        throw invalid(LOGS_SOURCE, value, "'cloudwatch' or 'file:PATH'");
      }
    }
    return List.copyOf(sources);
  }

  private static boolean isAuto(String value) {
    return value != null && value.strip().equalsIgnoreCase(AUTO_FORMAT);
  }

  private static AccessLogFormat parseFormat(ConfigProperties config) {
    String value = config.getString(LOGS_FORMAT);
    if (value == null || value.isBlank()) {
      return AccessLogFormat.defaultFormat();
    }
    if (!value.contains("$context.") && AccessLogFormat.names().stream().noneMatch(value.strip()::equalsIgnoreCase)) {
      // No variable at all: a format name, misspelled ("jsn").
      List<String> names = new ArrayList<>(AccessLogFormat.names());
      names.add(AUTO_FORMAT);
      throw invalid(
          LOGS_FORMAT,
          value,
          "one of "
              + names
              + NearestName.of(value.strip(), names).map(name -> " (did you mean " + name + "?)").orElse("")
              + ", or a format string with $context variables as typed into API Gateway's"
              + " \"Log format\" box");
    }
    try {
      return AccessLogFormat.of(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(
          "Invalid value for property " + LOGS_FORMAT + "=" + value + ": " + e.getMessage(), e);
    }
  }

  /**
   * The lookback must hold a period. The message names what the user set, in the user's units:
   * the period, when the lookback is the default; else the lookback.
   */
  private void requireLookbackCoversPeriod(ConfigProperties config) {
    if (metricsLookback.compareTo(metricsPeriod) >= 0) {
      return;
    }
    String lookback = config.getString(METRICS_LOOKBACK);
    String period = config.getString(METRICS_PERIOD);
    if (lookback == null || lookback.isBlank()) {
      throw invalid(
          METRICS_PERIOD,
          period,
          "at most "
              + METRICS_LOOKBACK
              + " ("
              + DurationText.of(DEFAULT_METRICS_LOOKBACK)
              + " by default); set "
              + METRICS_LOOKBACK
              + " to "
              + period.strip()
              + " or more as well");
    }
    throw invalid(
        METRICS_LOOKBACK,
        lookback,
        "at least "
            + METRICS_PERIOD
            + " ("
            + (period == null || period.isBlank() ? DurationText.of(DEFAULT_METRICS_PERIOD) + " by default" : period.strip())
            + ")");
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
   * The state directory: a path that is a file, or that the plugin could not create or write,
   * fails start-up instead of every checkpoint failing later. Nothing is created here.
   */
  private static Path usableDirectory(String key, String value) {
    Path directory = parsePath(key, value);
    if (Files.exists(directory)) {
      require(Files.isDirectory(directory), key, value, "a directory, not a file");
      require(Files.isWritable(directory), key, value, "a writable directory");
      return directory;
    }
    Path ancestor = directory.toAbsolutePath().getParent();
    while (ancestor != null && !Files.exists(ancestor)) {
      ancestor = ancestor.getParent();
    }
    require(
        ancestor != null && Files.isDirectory(ancestor) && Files.isWritable(ancestor),
        key,
        value,
        "a directory the plugin can create (its nearest existing parent must be a writable directory)");
    return directory;
  }

  private static Path parsePath(String key, String value) {
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw invalid(key, value, "a file system path");
    }
  }

  /**
   * The lean GetMetricData transport is gone (RECEIVER_BENCHMARK.md: against the SDK's CBOR client
   * it no longer saved enough CPU to keep its code); a host that still names it starts as before.
   */
  private static void warnIfTransportSet(ConfigProperties config) {
    String value = config.getString(METRICS_TRANSPORT);
    if (value == null || value.isBlank()) {
      return;
    }
    String trimmed = value.trim();
    if (!trimmed.equalsIgnoreCase("lean") && !trimmed.equalsIgnoreCase("sdk")) {
      throw invalid(METRICS_TRANSPORT, value, "lean or sdk, or better no value: the property is deprecated and ignored");
    }
    LOGGER.warning(
        METRICS_TRANSPORT
            + "="
            + trimmed
            + " is deprecated and ignored: GetMetricData always goes through the AWS SDK's"
            + " CloudWatch client now. Remove the property.");
  }

  private static <E extends Enum<E>> E parseEnum(
      ConfigProperties config, String key, Class<E> type, E defaultValue) {
    String value = config.getString(key);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    try {
      return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      List<String> allowed = new ArrayList<>();
      for (E constant : type.getEnumConstants()) {
        allowed.add(constant.name().toLowerCase(Locale.ROOT));
      }
      throw invalid(key, value, "one of " + allowed);
    }
  }

  // ConfigProperties.getBoolean reads anything but "true" as false; a typo must not disable a source.
  static boolean strictBoolean(ConfigProperties config, String key, boolean defaultValue) {
    String value = config.getString(key);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    String trimmed = value.trim();
    if (trimmed.equalsIgnoreCase("true")) {
      return true;
    }
    if (trimmed.equalsIgnoreCase("false")) {
      return false;
    }
    throw invalid(key, value, "true or false");
  }

  static int intInRange(
      ConfigProperties config, String key, int defaultValue, int min, int max) {
    String value = config.getString(key);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    try {
      int parsed = Integer.parseInt(value.trim());
      require(parsed >= min && parsed <= max, key, value, "a whole number from " + min + " to " + max);
      return parsed;
    } catch (NumberFormatException e) {
      throw invalid(key, value, "a whole number from " + min + " to " + max);
    }
  }

  private static Duration positive(ConfigProperties config, String key, Duration defaultValue) {
    Duration value = config.getDuration(key, defaultValue);
    require(!value.isZero() && !value.isNegative(), key, config.getString(key), "a positive duration");
    return value;
  }

  static Duration nonNegative(ConfigProperties config, String key, Duration defaultValue) {
    Duration value = config.getDuration(key, defaultValue);
    require(!value.isNegative(), key, config.getString(key), "a duration of zero or more");
    return value;
  }

  private static Optional<String> optional(ConfigProperties config, String key) {
    String value = config.getString(key);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  static void require(boolean condition, String key, String value, String expected) {
    if (!condition) {
      throw invalid(key, value, expected);
    }
  }

  private static ConfigurationException invalid(String key, String value, String expected) {
    if (isSecretKey(key)) {
      return new ConfigurationException(
          "Invalid value for property " + key + " (a secret: its value is not shown): expected "
              + expected);
    }
    return new ConfigurationException(
        "Invalid value for property " + key + "=" + withoutUserInfo(value) + ": expected " + expected);
  }

  /**
   * Whether {@code key} (any spelling: dots, underscores or dashes, any case) holds a secret: the
   * role's external id, the client-address key, an OTLP exporter's headers. Such values never
   * appear in a message, nor in the command line the Java agent exports ({@link
   * CommandLineSecrets}).
   */
  public static boolean isSecretKey(String key) {
    String form = secretForm(key);
    return SECRET_KEYS.contains(form)
        || (form.startsWith("otel.exporter.") && form.endsWith(".headers"));
  }

  private static String secretForm(String key) {
    return key.strip().toLowerCase(Locale.ROOT).replace('_', '.').replace('-', '.');
  }

  /** A URL's user information ({@code https://user:password@host}) is a credential too. */
  private static String withoutUserInfo(String value) {
    return value == null ? null : value.replaceAll("//[^/@\\s]*@", "//<redacted>@");
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

  /** Whether the credentials' account is a CloudWatch monitoring account read with its linked accounts. */
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

  public Duration metricsPeriod() {
    return metricsPeriod;
  }

  public Duration metricsDelay() {
    return metricsDelay;
  }

  public Duration metricsInterval() {
    return metricsInterval;
  }

  public Temporality temporality() {
    return temporality;
  }

  public Duration discoveryInterval() {
    return discoveryInterval;
  }

  public List<String> apisInclude() {
    return apisInclude;
  }

  public List<String> apisExclude() {
    return apisExclude;
  }

  public Map<String, String> apisIncludeTags() {
    return apisIncludeTags;
  }

  public Map<String, String> apisExcludeTags() {
    return apisExcludeTags;
  }

  public Duration metricsLookback() {
    return metricsLookback;
  }

  public boolean metricsDetailed() {
    return metricsDetailed;
  }

  public int metricsConcurrency() {
    return metricsConcurrency;
  }

  public int metricsMaxPendingPoints() {
    return metricsMaxPendingPoints;
  }

  public MetricStatistics metricsStatistics() {
    return metricsStatistics;
  }

  public boolean metricsRecentlyActive() {
    return metricsRecentlyActive;
  }

  public double metricsPricePerThousandRequests() {
    return metricsPricePerThousandRequests;
  }

  public int metricsExportMaxPoints() {
    return metricsExportMaxPoints;
  }

  public String tagsPrefix() {
    return tagsPrefix;
  }

  public List<LogSource> logSources() {
    return logSources;
  }

  /**
   * The configured format; with {@link #logsFormatAuto()}, the fallback (the seed's JSON) for
   * groups whose stage format is unknown or does not compile.
   */
  public AccessLogFormat logsFormat() {
    return logsFormat;
  }

  /** Whether each stage's own format is read from API Gateway ({@code logs.format=auto}). */
  public boolean logsFormatAuto() {
    return logsFormatAuto;
  }

  public Duration logsLookback() {
    return logsLookback;
  }

  public List<String> logGroups() {
    return logGroups;
  }

  public List<String> logGroupPrefixes() {
    return logGroupPrefixes;
  }

  public Duration logsInterval() {
    return logsInterval;
  }

  public Duration logsOverlap() {
    return logsOverlap;
  }

  public ClientAddressPolicy clientAddressPolicy() {
    return clientAddressPolicy;
  }

  /** Request metrics from access logs, and execution logs ({@link LogSignalsConfig}). */
  LogSignalsConfig logSignals() {
    return logSignals;
  }
}
