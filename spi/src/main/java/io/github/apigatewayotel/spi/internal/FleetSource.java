package io.github.apigatewayotel.spi.internal;

import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Fleet mode's lease heartbeat as the runtime sees it: added after every other source, so that
 * closing the plugin hands this replica's leases over (to the other replicas, at once) only once
 * the sources wrote their last checkpoints.
 */
final class FleetSource implements PluginSource {

  private final FleetCoordination coordination;

  FleetSource(FleetCoordination coordination) {
    this.coordination = coordination;
  }

  @Override
  public String name() {
    return "fleet leases";
  }

  @Override
  public List<String> runOnce() {
    return List.of();
  }

  @Override
  public void start(ScheduledExecutorService executor) {
    // the fleet's own thread renews the leases from the moment a source opened it
  }

  @Override
  public void close() {
    coordination.close();
  }
}
