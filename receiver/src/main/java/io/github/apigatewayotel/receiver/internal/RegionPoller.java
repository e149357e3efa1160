package io.github.apigatewayotel.receiver.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Discovery and collection state of one region: the API inventory, the resolved series and the
 * query plan, refreshed every discovery interval (an API deleted mid-run drops out of the plan at
 * the next refresh; its already-planned queries just return no data until then).
 */
public final class RegionPoller {

  /**
   * How long after its first datapoint a new series may take to appear in ListMetrics: AWS
   * documents "allow up to 15 minutes". A series a rediscovery finds for the first time is read
   * back to the previous discovery minus this, so its first minutes are not lost however long
   * the discovery interval is compared to the lookback.
   */
  static final Duration LIST_METRICS_LAG = Duration.ofMinutes(15);

  private final String region;
  private final AccountAccess access;
  private final ApiInventoryLoader inventoryLoader;
  private final SeriesLister seriesLister;
  /** Whether the access reads several accounts (roles, or linked accounts): keys then name accounts. */
  private final boolean accountInKey;
  /** For a monitoring account read with its linked accounts; null otherwise. */
  private final SourceAccountInventories sources;
  private ApiInventory inventory = ApiInventory.empty();
  /** Read by the thread persisting marks too. */
  private volatile QueryPlan plan = QueryPlan.empty();
  private SeriesResolver.Result resolved;
  private Instant discoveredAt;
  /** End of the last window whose every batch succeeded; null after a (re)start. */
  private Instant collectedUntil;
  /** Start of the oldest window whose out-of-reach periods were already counted as lost. */
  private Instant lostCountedUntil;

  /** A poller of the one account {@code access} reaches, of a receiver that reads only that account. */
  public RegionPoller(String region, AccountAccess access, ApiInventoryLoader inventoryLoader, SeriesLister seriesLister) {
    this(region, access, inventoryLoader, seriesLister, false, null);
  }

  /**
   * @param accountInKey whether the receiver reads several accounts (its series keys then name them)
   * @param sources for a monitoring account read with its linked source accounts (ListMetrics
   *     {@code IncludeLinkedAccounts}), the inventories of those a role is given for; null otherwise
   */
  RegionPoller(String region, AccountAccess access, ApiInventoryLoader inventoryLoader, SeriesLister seriesLister,
      boolean accountInKey, SourceAccountInventories sources) {
    this.region = region;
    this.access = access;
    this.inventoryLoader = inventoryLoader;
    this.seriesLister = seriesLister;
    this.accountInKey = accountInKey;
    this.sources = sources;
  }

  public String region() {
    return region;
  }

  public AccountAccess access() {
    return access;
  }

  /** The region, and the account when the receiver reads several, for messages. */
  public String describe() {
    return accountInKey && access.accountId() != null ? region + " (account " + access.accountId() + ")" : region;
  }

  public boolean needsDiscovery(Instant now, Duration interval) {
    return discoveredAt == null || !now.isBefore(discoveredAt.plus(interval));
  }

  /**
   * Rediscovers; on failure the previous plan stays in use and the exception propagates. The
   * account must be resolved ({@link AccountAccess#accountId()}).
   */
  public void discover(SeriesResolver resolver, Map<String, Long> persistedMarks, Instant now, CollectionWindow window) {
    AwsClients.RegionClients clients = access.clients().region(region);
    String account = access.accountId();
    ApiInventory newInventory = inventoryLoader.load(accountInKey ? account : "", region, clients);
    SeriesResolver.Scope scope;
    if (sources == null) {
      scope = SeriesResolver.Scope.of(account, newInventory, accountInKey);
    } else {
      SourceAccountInventories.Loaded loaded = sources.load(account);
      scope = SeriesResolver.Scope.linked(account, newInventory, loaded.inventories(), loaded.unavailable());
    }
    SeriesResolver.Session session = resolver.start(region, scope);
    seriesLister.list(clients, sources != null, session::accept);
    SeriesResolver.Result result = session.result();
    if (sources != null) {
      sources.listed(account, result.accounts());
    }
    long newSeriesReadFrom =
        discoveredAt == null ? PlannedQuery.NONE : discoveredAt.minus(LIST_METRICS_LAG).getEpochSecond();
    plan = QueryPlan.of(result.series(), plan, persistedMarks, newSeriesReadFrom, earliestReadable(window, newSeriesReadFrom));
    inventory = newInventory;
    resolved = result;
    discoveredAt = now;
  }

  /**
   * The earliest period any later poll could ask for a series it takes as new: the read-back of
   * new series, the lookback, or the catch-up reach, whichever is earliest. A dropped query whose
   * mark is older can be forgotten: its series, listed again, cannot repeat a period.
   */
  private static long earliestReadable(CollectionWindow window, long newSeriesReadFrom) {
    long earliest = Math.min(window.start().getEpochSecond(),
        window.end().getEpochSecond() - (long) CollectionWindow.MAX_CATCH_UP_PERIODS * window.periodSeconds());
    return newSeriesReadFrom == PlannedQuery.NONE ? earliest : Math.min(earliest, newSeriesReadFrom);
  }

  /**
   * The window this region's queries are read within: {@code nominal} (the lookback), reaching back
   * beyond it (up to {@link CollectionWindow#MAX_CATCH_UP_PERIODS}) when the last collection, or
   * after a restart the last exported period, is older than its start. Each query then asks only
   * for the part after its own high-water mark ({@link QueryBatches}), so periods that were empty
   * when read, because their data reached CloudWatch late, are read again while in the lookback.
   */
  public CollectionWindow windowWithin(CollectionWindow nominal) {
    Instant since = collectedUntil != null ? collectedUntil : lastExportedEnd(nominal.periodSeconds());
    return nominal.catchingUpFrom(since);
  }

  /**
   * Periods older than {@code window} that this region never collected and can no longer ask for,
   * each counted once however many polls fail in a row.
   */
  public long periodsOutOfReach(CollectionWindow window) {
    Instant since = collectedUntil != null ? collectedUntil : lastExportedEnd(window.periodSeconds());
    if (lostCountedUntil != null && (since == null || lostCountedUntil.isAfter(since))) {
      since = lostCountedUntil;
    }
    long lost = window.periodsBefore(since);
    if (lost > 0) {
      lostCountedUntil = window.start();
    }
    return lost;
  }

  /** After a restart: the end of the newest period any query exported, from the state directory. */
  private Instant lastExportedEnd(int periodSeconds) {
    long newest = PlannedQuery.NONE;
    for (PlannedQuery query : plan.queries()) {
      newest = Math.max(newest, query.exportedMark);
    }
    return newest == PlannedQuery.NONE ? null : Instant.ofEpochSecond(newest + periodSeconds);
  }

  /** Records that {@code window} was collected without a failed batch. */
  public void collected(CollectionWindow window) {
    collectedUntil = window.end();
    plan.readBack();
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
