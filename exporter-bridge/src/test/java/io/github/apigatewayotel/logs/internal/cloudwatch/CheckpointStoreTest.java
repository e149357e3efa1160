package io.github.apigatewayotel.logs.internal.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.state.StateFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {

  private static final String FALLBACK = "the lookback";

  @TempDir Path directory;

  @Test
  void savesAndLoadsTheFloorAndTheSeenIds() throws Exception {
    CheckpointStore store = CheckpointStore.inDirectory(directory, "eu-west-1");
    GroupCheckpoint checkpoint = GroupCheckpoint.startingAt(1_000);
    checkpoint.markEmitted(1_000, "id-1");
    checkpoint.markEmitted(1_002, "id-2");
    store.save("/aws/api-gateway/prod", checkpoint);

    GroupCheckpoint loaded = store.load("/aws/api-gateway/prod", FALLBACK).value();
    assertThat(loaded.floor()).isEqualTo(1_000);
    assertThat(loaded.seenEvents()).isEqualTo(checkpoint.seenEvents());
    assertThat(store.load("/aws/api-gateway/other", FALLBACK).status())
        .isEqualTo(StateFile.Status.MISSING);
  }

  @Test
  void eachRegionAndGroupHasItsOwnFileAndNoTemporaryFileStays() throws Exception {
    CheckpointStore ireland = CheckpointStore.inDirectory(directory, "eu-west-1");
    CheckpointStore virginia = CheckpointStore.inDirectory(directory, "us-east-1");
    ireland.save("api-gateway/a", GroupCheckpoint.startingAt(1));
    ireland.save("api-gateway_a", GroupCheckpoint.startingAt(2));
    virginia.save("api-gateway/a", GroupCheckpoint.startingAt(3));
    ireland.save("api-gateway/a", GroupCheckpoint.startingAt(4));

    try (var files = Files.list(directory)) {
      assertThat(files.map(path -> path.getFileName().toString()))
          .hasSize(3)
          .allMatch(name -> name.startsWith("cloudwatch-") && name.endsWith(".checkpoint"));
    }
    assertThat(ireland.load("api-gateway/a", FALLBACK).value().floor()).isEqualTo(4);
    assertThat(ireland.load("api-gateway_a", FALLBACK).value().floor()).isEqualTo(2);
    assertThat(virginia.load("api-gateway/a", FALLBACK).value().floor()).isEqualTo(3);
  }

  @Test
  void aCheckpointOfThePreviousVersionIsStillRead() throws Exception {
    CheckpointStore store = CheckpointStore.inDirectory(directory, "eu-west-1");
    GroupCheckpoint old = GroupCheckpoint.startingAt(1_000);
    old.markEmitted(1_001, "id-1");
    // What the previous version wrote: the codec's text alone.
    Files.writeString(store.fileOf("g"), CheckpointCodec.encode("g", old));

    StateFile.Loaded<GroupCheckpoint> loaded = store.load("g", FALLBACK);

    assertThat(loaded.status()).isEqualTo(StateFile.Status.LEGACY);
    assertThat(loaded.value().floor()).isEqualTo(1_000);
    assertThat(loaded.value().seenEvents()).isEqualTo(old.seenEvents());
    store.save("g", loaded.value());
    assertThat(Files.readString(store.fileOf("g"))).startsWith("apigateway-otel-state ");
  }

  @Test
  void damagedCheckpointsAreSetAsideNotMisread() throws Exception {
    CheckpointStore store = CheckpointStore.inDirectory(directory, "eu-west-1");
    store.save("g", GroupCheckpoint.startingAt(5));
    byte[] good = Files.readAllBytes(store.fileOf("g"));
    byte[][] damaged = {
      new byte[0],
      Arrays.copyOf(good, good.length / 2),
      new byte[good.length],
      "garbage".getBytes(StandardCharsets.UTF_8),
      CheckpointCodec.encode("other", GroupCheckpoint.startingAt(5))
          .getBytes(StandardCharsets.UTF_8),
    };
    for (byte[] bytes : damaged) {
      Files.write(store.fileOf("g"), bytes);
      StateFile.Loaded<GroupCheckpoint> loaded = store.load("g", FALLBACK);
      assertThat(loaded.status()).isEqualTo(StateFile.Status.DAMAGED);
      assertThat(loaded.savedAt()).isNotNull();
      assertThat(Files.exists(store.fileOf("g"))).isFalse();
    }
    try (var files = Files.list(directory)) {
      assertThat(files.filter(p -> p.getFileName().toString().contains(".corrupt-")))
          .hasSize(damaged.length);
    }
  }

  @Test
  void withoutADirectoryNothingIsPersisted() throws Exception {
    CheckpointStore store = CheckpointStore.none();
    store.save("g", GroupCheckpoint.startingAt(5));
    assertThat(store.load("g", FALLBACK).value()).isNull();
    assertThat(store.isPersistent()).isFalse();
  }
}
