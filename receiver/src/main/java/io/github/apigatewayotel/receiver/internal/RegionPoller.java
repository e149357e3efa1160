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
  private final ApiInventoryLoader inventoryLoader;
  private final SeriesLister seriesLister;
  private ApiInventory inventory = ApiInventory.empty();
  /** Read by the thread persisting marks too. */
  private volatile QueryPlan plan = QueryPlan.empty();
  private SeriesResolver.Result resolved;
  private Instant discoveredAt;
  /** End of the last window whose every batch succeeded; null after a (re)start. */
  private Instant collectedUntil;
  /** Start of the oldest window whose out-of-reach periods were already counted as lost. */
  private Instant lostCountedUntil;
  private String discoveryAction = "apigateway:GET";

  public RegionPoller(String region, ApiInventoryLoader inventoryLoader, SeriesLister seriesLister) {
    this.region = region;
    this.inventoryLoader = inventoryLoader;
    this.seriesLister = seriesLister;
  }

  public String region() {
    return region;
  }

  /** The IAM action of the discovery step that ran last: the one to name when it was denied. */
  public String discoveryAction() {
    return discoveryAction;
  }

  public boolean needsDiscovery(Instant now, Duration interval) {
    return discoveredAt == null || !now.isBefore(discoveredAt.plus(interval));
  }

  /** Rediscovers; on failure the previous plan stays in use and the exception propagates. */
  public void discover(AwsClients.RegionClients clients, SeriesResolver resolver, Map<String, Long> persistedMarks, Instant now,
      CollectionWindow window) {
    discoveryAction = "apigateway:GET"; // GetRestApis and apigatewayv2 GetApis alike
    ApiInventory newInventory = inventoryLoader.load(region, clients);
    SeriesResolver.Session session = resolver.start(region, newInventory);
    discoveryAction = "cloudwatch:ListMetrics";
    seriesLister.list(clients, session::accept);
    SeriesResolver.Result result = session.result();
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
