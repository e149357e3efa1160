package io.github.apigatewayotel.logs.internal.cloudwatch;

import io.github.apigatewayotel.state.fleet.FleetUnavailableException;
import io.github.apigatewayotel.state.fleet.Lease;
import io.github.apigatewayotel.state.fleet.LeaseLostException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The groups' checkpoints in the fleet's DynamoDB table ({@link CheckpointStore#shared}): read by
 * sealing them with the lease's token (so no earlier holder advances them after), written only
 * while that token still fences them. Same text as the checkpoint files ({@link CheckpointCodec}).
 */
final class SharedGroupCheckpoints {

  private final FleetGroups groups;

  SharedGroupCheckpoints(FleetGroups groups) {
    this.groups = groups;
  }

  /** The group's checkpoint, null when none was written; fails when the lease is not held. */
  GroupCheckpoint load(String logGroup) throws IOException {
    Lease lease = lease(logGroup);
    try {
      Optional<byte[]> stored = groups.fleet().checkpoints().takeOver(lease);
      return stored.isEmpty()
          ? null
          : CheckpointCodec.decode(logGroup, new String(stored.get(), StandardCharsets.UTF_8));
    } catch (LeaseLostException | FleetUnavailableException | RuntimeException e) {
      groups.loadFailed(
          logGroup); // the read stops before handing anything over, and reloads next time
      throw new IOException(
          "cannot read the shared checkpoint of " + logGroup + ": " + e.getMessage(), e);
    }
  }

  void save(String logGroup, GroupCheckpoint checkpoint) throws IOException {
    Lease lease = lease(logGroup);
    try {
      byte[] text = CheckpointCodec.encode(logGroup, checkpoint).getBytes(StandardCharsets.UTF_8);
      if (!groups.fleet().checkpoints().write(lease, text)) {
        groups.loadFailed(logGroup); // the read stops before the next page
        throw new IOException(
            "the lease on " + logGroup + " was taken over: its checkpoint is the new holder's");
      }
    } catch (FleetUnavailableException e) {
      // what is handed over from now on could not be checkpointed: stop before the next page;
      // the group is read again from the shared checkpoint once the table answers
      groups.loadFailed(logGroup);
      throw new IOException(e.getMessage(), e);
    }
  }

  private Lease lease(String logGroup) throws IOException {
    return groups
        .checkpointLease(logGroup)
        .orElseThrow(
            () -> new IOException("this replica no longer holds the lease on " + logGroup));
  }
}
