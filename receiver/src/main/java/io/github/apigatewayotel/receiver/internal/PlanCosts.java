package io.github.apigatewayotel.receiver.internal;

import io.github.apigatewayotel.receiver.CloudWatchCost;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * What each poller's plan costs at CloudWatch's price, as its last discovery made it: logged after
 * each discovery (one line per region and account polled, so the bill is never a surprise) and kept
 * for the cost gauges and the receiver's cost estimates.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
final class PlanCosts {

  private static final Logger logger = Logger.getLogger(PlanCosts.class.getName());

  private final Duration pollInterval;
  private final double pricePerThousandMetricRequests;
  private final Map<RegionPoller, CloudWatchCost> costs = new ConcurrentHashMap<>();

  PlanCosts(Duration pollInterval, double pricePerThousandMetricRequests) {
    this.pollInterval = pollInterval;
    this.pricePerThousandMetricRequests = pricePerThousandMetricRequests;
  }

  /** Forgets {@code region}'s plan: in a fleet, another replica took it over. */
  void remove(RegionPoller region) {
    costs.remove(region);
  }

  /** After a discovery of {@code region}: its plan's cost, logged and kept. */
  void discovered(RegionPoller region) {
    CloudWatchCost cost =
        new CloudWatchCost(
            region.region(),
            region.accountInKey() ? region.access().accountId() : null,
            region.plan().size(),
            region.plan().callsPerInterval(),
            pollInterval,
            pricePerThousandMetricRequests);
    costs.put(region, cost);
    logger.info(
        String.format(
            Locale.ROOT,
            "apigateway-otel receiver: CloudWatch cost in %s (%,d"
                + " series; CloudWatch bills each statistic of each series once per poll)",
            cost,
            region.seriesCount()));
  }

  /** The cost of each poller's plan, in the order of {@code regions}. */
  List<CloudWatchCost> of(List<RegionPoller> regions) {
    List<CloudWatchCost> ordered = new ArrayList<>();
    for (RegionPoller region : regions) {
      CloudWatchCost cost = costs.get(region);
      if (cost != null) {
        ordered.add(cost);
      }
    }
    return ordered;
  }
}
