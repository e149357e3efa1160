package io.github.apigatewayotel.receiver;

import static io.github.apigatewayotel.receiver.ReceiverSettingChecks.nonBlank;
import static io.github.apigatewayotel.receiver.ReceiverSettingChecks.nonNegative;
import static io.github.apigatewayotel.receiver.ReceiverSettingChecks.positive;

import io.github.apigatewayotel.receiver.internal.AccountAccess;
import io.github.apigatewayotel.receiver.internal.ApiFilter;
import io.github.apigatewayotel.receiver.internal.CollectionWindow;
import io.github.apigatewayotel.receiver.internal.MetricCatalog;
import io.github.apigatewayotel.receiver.internal.ReceiverConfig;
import io.github.apigatewayotel.state.fleet.Fleet;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import javax.annotation.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * Builds an {@link ApiGatewayMetricsReceiver}; every setting has a default except the regions, each
 * default a documented constant of {@link ApiGatewayMetricsReceiver}. A setter refuses a bad value
 * at once with an {@link IllegalArgumentException} naming the setting; {@link #build()} checks the
 * settings that depend on each other.
 */
public final class ApiGatewayMetricsReceiverBuilder {
  private final List<String> regions = new ArrayList<>();
  private URI endpointOverride;
  private AwsCredentialsProvider credentialsProvider;
  private final List<String> roleArns = new ArrayList<>();
  private String externalId;
  private boolean linkedAccounts;
  private String accountId;
  java.util.function.Supplier<String> accountIdSupplier;
  private Duration period = ApiGatewayMetricsReceiver.DEFAULT_PERIOD;
  private Duration delay = ApiGatewayMetricsReceiver.DEFAULT_DELAY;
  private Duration lookback = ApiGatewayMetricsReceiver.DEFAULT_LOOKBACK;
  private Duration pollInterval;
  private Duration discoveryInterval = ApiGatewayMetricsReceiver.DEFAULT_DISCOVERY_INTERVAL;
  private final List<String> includeApis = new ArrayList<>();
  private final List<String> excludeApis = new ArrayList<>();
  private final Map<String, List<String>> includeTags = new LinkedHashMap<>();
  private final Map<String, List<String>> excludeTags = new LinkedHashMap<>();
  private String tagAttributePrefix = ApiGatewayMetricsReceiver.DEFAULT_TAG_ATTRIBUTE_PREFIX;
  private boolean detailedMetrics = true;
  private int getMetricDataConcurrency = ApiGatewayMetricsReceiver.DEFAULT_CONCURRENCY;
  private int maxPendingPoints = ApiGatewayMetricsReceiver.DEFAULT_MAX_PENDING_POINTS;
  private MetricStatistics statistics = MetricStatistics.all();
  private boolean recentlyActiveOnly = true;
  private double pricePerThousandMetricRequests =
      CloudWatchCost.DEFAULT_PRICE_PER_THOUSAND_METRIC_REQUESTS;
  private int maxExportPoints = ApiGatewayMetricsReceiver.DEFAULT_MAX_EXPORT_POINTS;
  private AggregationTemporality temporality = AggregationTemporality.CUMULATIVE;
  private Path stateDirectory;
  @Nullable private Fleet fleet;
  ThreadFactory threadFactory = daemonThreads();
  MetricExportConfirmations exportConfirmations;
  MetricReaderLanes readerLanes;
  private MeterProvider meterProvider = MeterProvider.noop();
  private Clock clock = Clock.systemUTC();
  private int maxAttempts = 5;
  private Duration retryBaseDelay = Duration.ofMillis(500);
  private Duration retryMaxDelay = Duration.ofSeconds(20);

  ApiGatewayMetricsReceiverBuilder() {}

  /** The regions to poll, e.g. {@code us-east-1}; at least one. */
  public ApiGatewayMetricsReceiverBuilder regions(List<String> regions) {
    Objects.requireNonNull(regions, "regions");
    this.regions.clear();
    for (String region : regions) {
      addRegion(region);
    }
    return this;
  }

  public ApiGatewayMetricsReceiverBuilder addRegion(String region) {
    Objects.requireNonNull(region, "region");
    if (!region.matches("[a-z]{2}(-[a-z]+)+-\\d+")) {
      throw new IllegalArgumentException("region is not an AWS region name: '" + region + "'");
    }
    if (!regions.contains(region)) {
      regions.add(region);
    }
    return this;
  }

  /**
   * One endpoint for every AWS client (a VPC endpoint, a proxy, a local simulation); null = AWS's.
   */
  public ApiGatewayMetricsReceiverBuilder endpointOverride(URI endpointOverride) {
    if (endpointOverride != null
        && (endpointOverride.getScheme() == null || endpointOverride.getHost() == null)) {
      throw new IllegalArgumentException(
          "endpointOverride needs a scheme and host: " + endpointOverride);
    }
    this.endpointOverride = endpointOverride;
    return this;
  }

  /**
   * Credentials; default: the AWS SDK's default chain (environment, profile, container, instance).
   */
  public ApiGatewayMetricsReceiverBuilder credentialsProvider(
      AwsCredentialsProvider credentialsProvider) {
    this.credentialsProvider = Objects.requireNonNull(credentialsProvider, "credentialsProvider");
    return this;
  }

  /** A role to assume with sts:AssumeRole (cross-account monitoring); null = none. */
  public ApiGatewayMetricsReceiverBuilder roleArn(String roleArn) {
    return roleArns(roleArn == null ? List.of() : List.of(roleArn));
  }

  /**
   * Roles to assume with sts:AssumeRole, one per account: each account is read through its role
   * (one poller per role and region, each point with its own {@code cloud.account.id}). With {@link
   * #linkedAccounts}, the roles instead discover the APIs and tags of linked source accounts. Empty
   * = none: the credentials' own account.
   */
  public ApiGatewayMetricsReceiverBuilder roleArns(List<String> roleArns) {
    Objects.requireNonNull(roleArns, "roleArns");
    Map<String, String> byAccount = new LinkedHashMap<>();
    for (String roleArn : roleArns) {
      if (roleArn == null || !roleArn.matches("arn:aws[a-z-]*:iam::\\d{12}:role/.+")) {
        throw new IllegalArgumentException("roleArn is not an IAM role ARN: '" + roleArn + "'");
      }
      String other = byAccount.put(AccountAccess.accountOfRole(roleArn), roleArn);
      if (other != null) {
        throw new IllegalArgumentException(
            "roles "
                + other
                + " and "
                + roleArn
                + " are in the same account, which would be read twice: give one role per account");
      }
    }
    this.roleArns.clear();
    this.roleArns.addAll(roleArns);
    return this;
  }

  /**
   * Reads a CloudWatch cross-account observability monitoring account (the credentials' own):
   * ListMetrics with {@code IncludeLinkedAccounts}, each query with its series' {@code AccountId},
   * each point with its owning account. Source accounts with a role in {@link #roleArns} are
   * discovered through it (API names, ids, tags); the others get what the metric dimensions say.
   * Default false.
   */
  public ApiGatewayMetricsReceiverBuilder linkedAccounts(boolean linkedAccounts) {
    this.linkedAccounts = linkedAccounts;
    return this;
  }

  /** The external id every role's trust policy requires, if any (one value for all roles). */
  public ApiGatewayMetricsReceiverBuilder externalId(String externalId) {
    this.externalId = externalId;
    return this;
  }

  /**
   * Where the account id of the receiver's own credentials comes from instead of its own STS
   * GetCallerIdentity: asked at each poll until it answers (null while unknown; it should back off
   * by itself); that account's polls export nothing until then. For a host that shares one look-up
   * between the receiver and its log sources. Ignored when {@link #accountId} is set; a role's
   * account is still asked through the role.
   */
  public ApiGatewayMetricsReceiverBuilder accountIdSupplier(
      java.util.function.Supplier<String> accountIdSupplier) {
    this.accountIdSupplier = Objects.requireNonNull(accountIdSupplier, "accountIdSupplier");
    return this;
  }

  /**
   * The account id for {@code cloud.account.id} of the one account read (the monitoring account
   * with {@link #linkedAccounts}); default: asked of STS GetCallerIdentity. Not with several roles:
   * each role's account is its own.
   */
  public ApiGatewayMetricsReceiverBuilder accountId(String accountId) {
    if (accountId != null && !accountId.matches("\\d{12}")) {
      throw new IllegalArgumentException("accountId must be 12 digits: '" + accountId + "'");
    }
    this.accountId = accountId;
    return this;
  }

  /** The CloudWatch period; a whole number of minutes, default 1 minute. */
  public ApiGatewayMetricsReceiverBuilder period(Duration period) {
    Objects.requireNonNull(period, "period");
    if (period.compareTo(ApiGatewayMetricsReceiver.MIN_PERIOD) < 0
        || period.getSeconds() % 60 != 0
        || period.getNano() != 0) {
      throw new IllegalArgumentException(
          "period must be a whole number of minutes (>= 1m): " + period);
    }
    this.period = period;
    return this;
  }

  /**
   * How old a period must be before it is exported (CloudWatch revises recent ones); default 3
   * minutes.
   */
  public ApiGatewayMetricsReceiverBuilder delay(Duration delay) {
    this.delay = nonNegative(delay, "delay");
    return this;
  }

  /**
   * How far back each poll reaches for periods not yet exported; default 10 minutes, at least one
   * period.
   */
  public ApiGatewayMetricsReceiverBuilder lookback(Duration lookback) {
    this.lookback = positive(lookback, "lookback");
    return this;
  }

  /**
   * How often each query is read; default 5 minutes ({@link
   * ApiGatewayMetricsReceiver#DEFAULT_POLL_INTERVAL}, or the period if longer), at most 200 periods
   * (what a poll can catch up on). Each poll returns every period since the last for one metric
   * request per query: 5 minutes cost a fifth of 1 minute, and a period leaves up to delay +
   * interval after its end. Polls are spread over the interval (see {@link
   * ApiGatewayMetricsReceiver#start()}).
   */
  public ApiGatewayMetricsReceiverBuilder pollInterval(Duration pollInterval) {
    this.pollInterval = positive(pollInterval, "pollInterval");
    return this;
  }

  /**
   * Which statistics of each CloudWatch metric are read; default {@link MetricStatistics#all()}.
   * Each statistic of each series is a metric request per poll.
   */
  public ApiGatewayMetricsReceiverBuilder statistics(MetricStatistics statistics) {
    this.statistics = Objects.requireNonNull(statistics, "statistics");
    return this;
  }

  /**
   * Whether discovery lists only series with datapoints in the past three hours (ListMetrics {@code
   * RecentlyActive=PT3H}); default true. CloudWatch lists a series for two weeks after its last
   * datapoint, and each listed series is queried, and billed, every poll. A series that comes back
   * after three idle hours is listed again up to 15 minutes late and read back from before its
   * return (see the module README).
   */
  public ApiGatewayMetricsReceiverBuilder recentlyActiveOnly(boolean recentlyActiveOnly) {
    this.recentlyActiveOnly = recentlyActiveOnly;
    return this;
  }

  /**
   * GetMetricData's price in US dollars per 1,000 metrics requested, for the cost estimates the
   * receiver logs and publishes; default CloudWatch's public price, $0.01 ({@link
   * CloudWatchCost#DEFAULT_PRICE_PER_THOUSAND_METRIC_REQUESTS}).
   */
  public ApiGatewayMetricsReceiverBuilder pricePerThousandMetricRequests(double price) {
    if (!(price >= 0) || Double.isInfinite(price)) {
      throw new IllegalArgumentException(
          "pricePerThousandMetricRequests must be a finite number >= 0: " + price);
    }
    this.pricePerThousandMetricRequests = price;
    return this;
  }

  /** Time between API/series discoveries; default 15 minutes. */
  public ApiGatewayMetricsReceiverBuilder discoveryInterval(Duration discoveryInterval) {
    this.discoveryInterval = positive(discoveryInterval, "discoveryInterval");
    return this;
  }

  /** Monitors only APIs whose name or id matches (wildcard {@code *}); may be repeated. */
  public ApiGatewayMetricsReceiverBuilder includeApi(String nameOrId) {
    includeApis.add(nonBlank(nameOrId, "includeApi"));
    return this;
  }

  /** Never monitors APIs whose name or id matches (wildcard {@code *}); wins over includes. */
  public ApiGatewayMetricsReceiverBuilder excludeApi(String nameOrId) {
    excludeApis.add(nonBlank(nameOrId, "excludeApi"));
    return this;
  }

  /** Monitors APIs (or stages) tagged {@code key=value}; combined with name includes by OR. */
  public ApiGatewayMetricsReceiverBuilder includeTag(String key, String value) {
    includeTags
        .computeIfAbsent(nonBlank(key, "includeTag key"), k -> new ArrayList<>())
        .add(Objects.requireNonNull(value, "includeTag value"));
    return this;
  }

  /** Never monitors APIs (or stages) tagged {@code key=value}. */
  public ApiGatewayMetricsReceiverBuilder excludeTag(String key, String value) {
    excludeTags
        .computeIfAbsent(nonBlank(key, "excludeTag key"), k -> new ArrayList<>())
        .add(Objects.requireNonNull(value, "excludeTag value"));
    return this;
  }

  /**
   * Whether per-route / per-method series (detailed metrics) are polled; default true. They are
   * most of the queries of a large account: turning them off cuts the CloudWatch bill and CPU.
   */
  public ApiGatewayMetricsReceiverBuilder detailedMetrics(boolean detailedMetrics) {
    this.detailedMetrics = detailedMetrics;
    return this;
  }

  /**
   * The most datapoints held for the host's metric reader (collected but not yet exported, or of
   * failed exports awaiting the next collection), 20 bytes each; past it new datapoints are dropped
   * and counted in {@code apigateway_otel.receiver.datapoints.dropped}. Default 4,000,000 (about 80
   * MB).
   */
  public ApiGatewayMetricsReceiverBuilder maxPendingPoints(int points) {
    if (points < ApiGatewayMetricsReceiver.MIN_PENDING_POINTS) {
      throw new IllegalArgumentException(
          "maxPendingPoints must be at least "
              + ApiGatewayMetricsReceiver.MIN_PENDING_POINTS
              + ": "
              + points);
    }
    this.maxPendingPoints = points;
    return this;
  }

  /**
   * The most datapoints one collection of a push reader (OTLP) takes; the rest leave with the next
   * collections, and with {@link #metricReaderLanes} the reader is asked to collect again as soon
   * as a piece was exported. A piece also stays under about 3 MiB of OTLP protobuf (estimated from
   * the points' attributes), below the 4 MiB an OpenTelemetry Collector accepts by default over
   * gRPC. Default 5,000, at least 100.
   */
  public ApiGatewayMetricsReceiverBuilder maxExportPoints(int points) {
    if (points < ApiGatewayMetricsReceiver.MIN_EXPORT_POINTS) {
      throw new IllegalArgumentException(
          "maxExportPoints must be at least "
              + ApiGatewayMetricsReceiver.MIN_EXPORT_POINTS
              + ": "
              + points);
    }
    this.maxExportPoints = points;
    return this;
  }

  /**
   * GetMetricData calls in flight at once (each waits on CloudWatch); default 4, 1 = sequential on
   * the polling thread. Mind the account's GetMetricData TPS quota (50 by default).
   */
  public ApiGatewayMetricsReceiverBuilder getMetricDataConcurrency(int concurrency) {
    if (concurrency < 1 || concurrency > ApiGatewayMetricsReceiver.MAX_CONCURRENCY) {
      throw new IllegalArgumentException(
          "getMetricDataConcurrency must be 1-"
              + ApiGatewayMetricsReceiver.MAX_CONCURRENCY
              + ": "
              + concurrency);
    }
    this.getMetricDataConcurrency = concurrency;
    return this;
  }

  /** Prefix of tag attributes; default {@code aws.tag.}; empty gives Datadog-style bare keys. */
  public ApiGatewayMetricsReceiverBuilder tagAttributePrefix(String prefix) {
    this.tagAttributePrefix = Objects.requireNonNull(prefix, "tagAttributePrefix");
    return this;
  }

  /** Temporality of the Sum metrics; pass the exporter's preference. Default CUMULATIVE. */
  public ApiGatewayMetricsReceiverBuilder aggregationTemporality(
      AggregationTemporality temporality) {
    this.temporality = Objects.requireNonNull(temporality, "aggregationTemporality");
    return this;
  }

  /**
   * Fleet mode: each region and account is polled by the one replica sharing {@code fleet}'s
   * DynamoDB table that holds its lease, and its high-water marks live in that table (fenced by the
   * lease) instead of the state directory. The caller starts and closes the fleet.
   */
  public ApiGatewayMetricsReceiverBuilder fleet(Fleet fleet) {
    this.fleet = Objects.requireNonNull(fleet, "fleet");
    return this;
  }

  /**
   * Where high-water marks persist, so no period is exported twice across restarts; null = memory
   * only.
   */
  public ApiGatewayMetricsReceiverBuilder stateDirectory(Path stateDirectory) {
    this.stateDirectory = stateDirectory;
    return this;
  }

  /**
   * Threads for background polling; default: daemon threads named {@code
   * apigateway-otel-receiver-N}.
   */
  public ApiGatewayMetricsReceiverBuilder threadFactory(ThreadFactory threadFactory) {
    this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
    return this;
  }

  /** Where the receiver's own counters go ({@code apigateway_otel.receiver.*}); default none. */
  public ApiGatewayMetricsReceiverBuilder meterProvider(MeterProvider meterProvider) {
    this.meterProvider = Objects.requireNonNull(meterProvider, "meterProvider");
    return this;
  }

  /**
   * The clock deciding which periods are complete; default the system clock (tests pass their own).
   */
  public ApiGatewayMetricsReceiverBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * Retries of throttled, 5xx and I/O-failed AWS calls: attempts in all (default 5), with
   * exponential backoff and jitter from {@code baseDelay} (default 500 ms) up to {@code maxDelay}
   * (default 20 s).
   */
  public ApiGatewayMetricsReceiverBuilder retries(
      int maxAttempts, Duration baseDelay, Duration maxDelay) {
    if (maxAttempts < 1 || maxAttempts > 20) {
      throw new IllegalArgumentException("retries maxAttempts must be 1-20: " + maxAttempts);
    }
    this.maxAttempts = maxAttempts;
    this.retryBaseDelay = positive(baseDelay, "retries baseDelay");
    this.retryMaxDelay = positive(maxDelay, "retries maxDelay");
    if (retryMaxDelay.compareTo(retryBaseDelay) < 0) {
      throw new IllegalArgumentException("retries maxDelay must be >= baseDelay");
    }
    return this;
  }

  /**
   * Counts points as exported only when the host's exporter, wrapped with {@link
   * MetricExportConfirmations#wrap}, reports success; failed ones leave again with the next
   * collection. Default: a point is exported once a metric reader collected it.
   */
  public ApiGatewayMetricsReceiverBuilder exportConfirmations(
      MetricExportConfirmations confirmations) {
    this.exportConfirmations = Objects.requireNonNull(confirmations, "confirmations");
    return this;
  }

  /**
   * Gives every metric reader wrapped with {@link MetricReaderLanes#wrap} every datapoint, for a
   * host with more than one reader (OTLP and Prometheus, say). Default: the datapoints are handed
   * out once, to whichever reader collects first.
   */
  public ApiGatewayMetricsReceiverBuilder metricReaderLanes(MetricReaderLanes lanes) {
    this.readerLanes = Objects.requireNonNull(lanes, "lanes");
    return this;
  }

  public ApiGatewayMetricsReceiver build() {
    ReceiverSettingChecks.checkTogether(
        regions,
        period,
        lookback,
        effectivePollInterval(),
        accountId,
        roleArns.size(),
        linkedAccounts);
    return new ApiGatewayMetricsReceiver(this);
  }

  ReceiverConfig toConfig() {
    AwsCredentialsProvider credentials =
        credentialsProvider != null
            ? credentialsProvider
            : DefaultCredentialsProvider.builder().build();
    Duration interval = effectivePollInterval();
    return new ReceiverConfig(
        List.copyOf(regions),
        endpointOverride,
        credentials,
        List.copyOf(roleArns),
        externalId,
        linkedAccounts,
        accountId,
        period,
        delay,
        lookback,
        interval,
        discoveryInterval,
        new ApiFilter(includeApis, excludeApis, includeTags, excludeTags, detailedMetrics),
        tagAttributePrefix,
        temporality,
        stateDirectory,
        meterProvider,
        clock,
        maxAttempts,
        retryBaseDelay,
        retryMaxDelay,
        ApiGatewayMetricsReceiverBuilder::sleep,
        getMetricDataConcurrency,
        threadFactory,
        maxPendingPoints,
        maxExportPoints,
        pollSlices(interval),
        MetricCatalog.select(statistics.chosen()),
        recentlyActiveOnly,
        pricePerThousandMetricRequests,
        fleet);
  }

  private Duration effectivePollInterval() {
    if (pollInterval != null) {
      return pollInterval;
    }
    return ApiGatewayMetricsReceiver.DEFAULT_POLL_INTERVAL.compareTo(period) >= 0
        ? ApiGatewayMetricsReceiver.DEFAULT_POLL_INTERVAL
        : period;
  }

  /**
   * Into how many slices a poll interval is spread: one per period it spans (5 at the defaults, a
   * tick a minute), at least 1 (an interval up to the period polls everything at once).
   */
  private int pollSlices(Duration interval) {
    long slices = interval.toMillis() / period.toMillis();
    return (int) Math.max(1, Math.min(CollectionWindow.MAX_CATCH_UP_PERIODS, slices));
  }

  private static void sleep(Duration duration) throws InterruptedException {
    Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "apigateway-otel-receiver-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
