package io.github.apigatewayotel.logs.internal.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {

  @TempDir Path directory;

  @Test
  void savesAndLoadsTheFloorAndTheSeenIds() throws Exception {
    CheckpointStore store = CheckpointStore.inDirectory(directory, "eu-west-1");
    GroupCheckpoint checkpoint = GroupCheckpoint.startingAt(1_000);
    checkpoint.markEmitted(1_000, "id-1");
    checkpoint.markEmitted(1_002, "id-2");
    store.save("/aws/api-gateway/prod", checkpoint);

    GroupCheckpoint loaded = store.load("/aws/api-gateway/prod").orElseThrow();
    assertThat(loaded.floor()).isEqualTo(1_000);
    assertThat(loaded.seenEvents()).isEqualTo(checkpoint.seenEvents());
    assertThat(store.load("/aws/api-gateway/other")).isEmpty();
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
    assertThat(ireland.load("api-gateway/a").orElseThrow().floor()).isEqualTo(4);
    assertThat(ireland.load("api-gateway_a").orElseThrow().floor()).isEqualTo(2);
    assertThat(virginia.load("api-gateway/a").orElseThrow().floor()).isEqualTo(3);
  }

  @Test
  void aCorruptOrForeignFileIsRejectedNotMisread() throws Exception {
    CheckpointStore store = CheckpointStore.inDirectory(directory, "eu-west-1");
    Files.writeString(store.fileOf("g"), "garbage");
    assertThatThrownBy(() -> store.load("g")).isInstanceOf(IllegalArgumentException.class);

    Files.writeString(
        store.fileOf("g"), CheckpointCodec.encode("other", GroupCheckpoint.startingAt(5)));
    assertThatThrownBy(() -> store.load("g"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("another log group");
  }

  @Test
  void withoutADirectoryNothingIsPersisted() throws Exception {
    CheckpointStore store = CheckpointStore.none();
    store.save("g", GroupCheckpoint.startingAt(5));
    assertThat(store.load("g")).isEmpty();
    assertThat(store.isPersistent()).isFalse();
  }
}
