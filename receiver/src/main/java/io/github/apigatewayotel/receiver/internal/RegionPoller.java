package io.github.apigatewayotel.receiver.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Discovery and collection state of one region: the API inventory, the resolved series and the
 * query plan, refreshed every discovery interval (an API deleted mid-run drops out of the plan at
 * the next refresh; its already-planned queries just return no data until then).
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class RegionPoller {

  /**
   * How long after its first datapoint a new series may take to appear in ListMetrics: AWS
   * documents "allow up to 15 minutes". A series a rediscovery finds for the first time is read
   * back to the previous discovery minus this, so its first minutes are not lost however long the
   * discovery interval is compared to the lookback.
   */
  static final Duration LIST_METRICS_LAG = Duration.ofMinutes(15);

  private final String region;
  private final AccountAccess access;
  private final ApiInventoryLoader inventoryLoader;
  private final SeriesLister seriesLister;

  /**
   * Whether the access reads several accounts (roles, or linked accounts): keys then name accounts.
   */
  private final boolean accountInKey;

  /** For a monitoring account read with its linked accounts; null otherwise. */
  private final SourceAccountInventories sources;

  /**
   * How many slices the plan is cut into, one polled per tick (1: every poll reads the whole plan).
   */
  private final int sliceCount;

  private ApiInventory inventory = ApiInventory.empty();

  /** Read by the thread persisting marks too. */
  private volatile QueryPlan plan = QueryPlan.empty();

  private SeriesResolver.Result resolved;
  private Instant discoveredAt;

  /** Per slice: end of the last window whose every batch succeeded; null after a (re)start. */
  private final Instant[] collectedUntil;

  /** Start of the newest window whose out-of-reach periods were already counted as lost. */
  private Instant lostCountedUntil;

  /** Where markless queries resume after the persisted marks were found damaged; else null. */
  private volatile Instant resumeFrom;

  private String discoveryAction = "apigateway:GET";

  /**
   * @param access the account read (its own credentials, or a role)
   * @param sliceCount how many slices the plan is cut into, one polled per tick (1: every poll
   *     reads the whole plan)
   * @param accountInKey whether the receiver reads several accounts (its series keys then name
   *     them)
   * @param sources for a monitoring account read with its linked source accounts (ListMetrics
   *     {@code IncludeLinkedAccounts}), the inventories of those a role is given for; null
   *     otherwise
   */
  RegionPoller(
      String region,
      AccountAccess access,
      ApiInventoryLoader inventoryLoader,
      SeriesLister seriesLister,
      int sliceCount,
      boolean accountInKey,
      SourceAccountInventories sources) {
    this.region = region;
    this.access = access;
    this.inventoryLoader = inventoryLoader;
    this.seriesLister = seriesLister;
    this.accountInKey = accountInKey;
    this.sources = sources;
    this.sliceCount = Math.max(1, sliceCount);
    this.collectedUntil = new Instant[this.sliceCount];
  }

  public String region() {
    return region;
  }

  /** A poller of the same region and account with no plan yet (fleet mode: a lease taken anew). */
  RegionPoller fresh() {
    return new RegionPoller(
        region, access, inventoryLoader, seriesLister, sliceCount, accountInKey, sources);
  }

  public AccountAccess access() {
    return access;
  }

  /**
   * Whether the receiver reads several accounts (its series keys, messages and costs then name
   * them).
   */
  public boolean accountInKey() {
    return accountInKey;
  }

  /** The region, and the account when the receiver reads several, for messages. */
  public String describe() {
    return accountInKey && access.accountId() != null
        ? region + " (account " + access.accountId() + ")"
        : region;
  }

  /** The IAM action of the discovery step that ran last: the one to name when it was denied. */
  public String discoveryAction() {
    return discoveryAction;
  }

  public boolean needsDiscovery(Instant now, Duration interval) {
    return discoveredAt == null || !now.isBefore(discoveredAt.plus(interval));
  }

  /**
   * Rediscovers; on failure the previous plan stays in use and the exception propagates. The
   * account must be resolved ({@link AccountAccess#accountId()}).
   */
  public void discover(
      SeriesResolver resolver,
      Map<String, Long> persistedMarks,
      Instant now,
      CollectionWindow window) {
    AwsClients.RegionClients clients = access.clients().region(region);
    String account = access.accountId();
    discoveryAction = "apigateway:GET"; // GetRestApis and apigatewayv2 GetApis alike
    ApiInventory newInventory = inventoryLoader.load(accountInKey ? account : "", region, clients);
    SeriesResolver.Scope scope;
    if (sources == null) {
      scope = SeriesResolver.Scope.of(account, newInventory, accountInKey);
    } else {
      SourceAccountInventories.Loaded loaded = sources.load(account);
      scope =
          SeriesResolver.Scope.linked(
              account, newInventory, loaded.inventories(), loaded.unavailable());
    }
    SeriesResolver.Session session = resolver.start(region, scope);
    discoveryAction = "cloudwatch:ListMetrics";
    seriesLister.list(clients, sources != null, session::accept);
    SeriesResolver.Result result = session.result();
    if (sources != null) {
      sources.listed(account, result.accounts());
    }
    long newSeriesReadFrom =
        discoveredAt == null
            ? PlannedQuery.NONE
            : discoveredAt.minus(LIST_METRICS_LAG).getEpochSecond();
    plan =
        QueryPlan.of(
            result.series(),
            plan,
            persistedMarks,
            newSeriesReadFrom,
            earliestReadable(window, newSeriesReadFrom),
            sliceCount);
    inventory = newInventory;
    resolved = result;
    discoveredAt = now;
  }

  /**
   * The earliest period any later poll could ask for a series it takes as new: the read-back of new
   * series, the lookback, or the catch-up reach, whichever is earliest. A dropped query whose mark
   * is older can be forgotten: its series, listed again, cannot repeat a period.
   */
  private static long earliestReadable(CollectionWindow window, long newSeriesReadFrom) {
    long earliest =
        Math.min(
            window.start().getEpochSecond(),
            window.end().getEpochSecond()
                - (long) CollectionWindow.MAX_CATCH_UP_PERIODS * window.periodSeconds());
    return newSeriesReadFrom == PlannedQuery.NONE
        ? earliest
        : Math.min(earliest, newSeriesReadFrom);
  }

  /**
   * The window the queries of {@code slice} ({@link QueryPlan#ALL}: all of this region's) are read
   * within: {@code nominal} (the lookback), reaching back beyond it (up to {@link
   * CollectionWindow#MAX_CATCH_UP_PERIODS}) when their last collection, or after a restart the last
   * period they exported, is older than its start (a slice's last collection is a poll interval
   * ago). Each query then asks only for the part after its own high-water mark ({@link
   * QueryBatches}), so periods that were empty when read, because their data reached CloudWatch
   * late, are read again while in the lookback.
   */
  public CollectionWindow windowWithin(CollectionWindow nominal, int slice) {
    return nominal.catchingUpFrom(collectedSince(slice, nominal.periodSeconds()));
  }

  /**
   * After a restart whose marks were damaged: the queries, markless, read from {@code instant} on
   * (catching up like after a restart with marks) instead of only the lookback.
   */
  public void resumeFrom(Instant instant) {
    resumeFrom = instant;
  }

  /**
   * Where the queries of {@code slice} were last collected to: the end of its last complete window,
   * else (after a restart) of the newest period one of them exported; for {@link QueryPlan#ALL},
   * the earliest of the slices that have one. Null when none is known.
   */
  private Instant collectedSince(int slice, int periodSeconds) {
    if (slice != QueryPlan.ALL) {
      if (collectedUntil[slice] != null) {
        return collectedUntil[slice];
      }
      Instant exported = lastExportedEnd(slice, periodSeconds);
      return exported != null ? exported : resumeFrom;
    }
    Instant earliest = null;
    for (int s = 0; s < sliceCount; s++) {
      Instant since = collectedSince(s, periodSeconds);
      if (since != null && (earliest == null || since.isBefore(earliest))) {
        earliest = since;
      }
    }
    return earliest;
  }

  /**
   * Periods older than {@code window} that this region never collected (for the queries of {@code
   * slice}) and can no longer ask for, each counted once however many polls fail in a row and
   * however many slices miss it.
   */
  public long periodsOutOfReach(CollectionWindow window, int slice) {
    Instant since = collectedSince(slice, window.periodSeconds());
    if (lostCountedUntil != null && (since == null || lostCountedUntil.isAfter(since))) {
      since = lostCountedUntil;
    }
    long lost = window.periodsBefore(since);
    if (lost > 0) {
      lostCountedUntil = window.start();
    }
    return lost;
  }

  /**
   * After a restart: the end of the newest period a query of the slice exported, from the state
   * directory.
   */
  private Instant lastExportedEnd(int slice, int periodSeconds) {
    long newest = PlannedQuery.NONE;
    for (PlannedQuery query :
        plan.queries(plan.sliceCount() == sliceCount ? slice : QueryPlan.ALL)) {
      newest = Math.max(newest, query.exportedMark);
    }
    return newest == PlannedQuery.NONE ? null : Instant.ofEpochSecond(newest + periodSeconds);
  }

  /**
   * Records that {@code window} was collected for the queries of {@code slice} ({@link
   * QueryPlan#ALL}: all) without a failed batch.
   */
  public void collected(CollectionWindow window, int slice) {
    if (slice == QueryPlan.ALL) {
      java.util.Arrays.fill(collectedUntil, window.end());
    } else {
      collectedUntil[slice] = window.end();
    }
    plan.readBack(plan.sliceCount() == sliceCount ? slice : QueryPlan.ALL);
  }

  /** How many slices the plan is cut into. */
  public int sliceCount() {
    return sliceCount;
  }

  public QueryPlan plan() {
    return plan;
  }

  public ApiInventory inventory() {
    return inventory;
  }

  public int seriesCount() {
    return resolved == null ? 0 : resolved.series().size();
  }

  public SeriesResolver.Result resolved() {
    return resolved;
  }
}
