package io.github.apigatewayotel.receiver.internal;

import java.time.Instant;
import java.util.Map;

/**
 * Discovery and collection state of one region: the API inventory, the resolved series and the
 * query plan, refreshed every discovery interval (an API deleted mid-run drops out of the plan at
 * the next refresh; its already-planned queries just return no data until then).
 */
public final class RegionPoller {

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

  public RegionPoller(String region, ApiInventoryLoader inventoryLoader, SeriesLister seriesLister) {
    this.region = region;
    this.inventoryLoader = inventoryLoader;
    this.seriesLister = seriesLister;
  }

  public String region() {
    return region;
  }

  public boolean needsDiscovery(Instant now, java.time.Duration interval) {
    return discoveredAt == null || !now.isBefore(discoveredAt.plus(interval));
  }

  /** Rediscovers; on failure the previous plan stays in use and the exception propagates. */
  public void discover(AwsClients.RegionClients clients, SeriesResolver resolver, Map<String, Long> persistedMarks, Instant now) {
    ApiInventory newInventory = inventoryLoader.load(region, clients);
    SeriesResolver.Session session = resolver.start(region, newInventory);
    seriesLister.list(clients, session::accept);
    SeriesResolver.Result result = session.result();
    plan = QueryPlan.of(result.series(), plan, persistedMarks);
    inventory = newInventory;
    resolved = result;
    discoveredAt = now;
  }

  /** The part of {@code nominal} this region still needs. */
  public CollectionWindow windowWithin(CollectionWindow nominal) {
    return nominal.after(collectedUntil);
  }

  /** Records that {@code window} was collected without a failed batch. */
  public void collected(CollectionWindow window) {
    collectedUntil = window.end();
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
