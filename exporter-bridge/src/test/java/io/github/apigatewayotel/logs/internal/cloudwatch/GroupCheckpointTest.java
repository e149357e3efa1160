package io.github.apigatewayotel.logs.internal.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GroupCheckpointTest {

  @Test
  void remembersEmittedEventsAtOrAboveTheFloorOnly() {
    GroupCheckpoint checkpoint = GroupCheckpoint.startingAt(100);
    checkpoint.markEmitted(99, "below");
    checkpoint.markEmitted(100, "a");
    checkpoint.markEmitted(100, "a");
    checkpoint.markEmitted(105, "b");

    assertThat(checkpoint.isSeen(99, "below")).isFalse();
    assertThat(checkpoint.isSeen(100, "a")).isTrue();
    assertThat(checkpoint.isSeen(105, "a")).isFalse();
    assertThat(checkpoint.seenCount()).isEqualTo(2);
  }

  @Test
  void raisingTheFloorForgetsWhatIsBelowItAndNeverLowersIt() {
    GroupCheckpoint checkpoint = GroupCheckpoint.startingAt(100);
    checkpoint.markEmitted(100, "a");
    checkpoint.markEmitted(101, "b");
    checkpoint.markEmitted(101, "c");

    checkpoint.raiseFloor(101);
    assertThat(checkpoint.floor()).isEqualTo(101);
    assertThat(checkpoint.isSeen(100, "a")).isFalse();
    assertThat(checkpoint.isSeen(101, "b")).isTrue();
    assertThat(checkpoint.seenCount()).isEqualTo(2);

    checkpoint.raiseFloor(50);
    assertThat(checkpoint.floor()).isEqualTo(101);
  }

  @Test
  void limitingTheSeenIdsDropsWholeOldTimestampsButKeepsTheNewestAlways() {
    GroupCheckpoint checkpoint = GroupCheckpoint.startingAt(0);
    checkpoint.markEmitted(10, "a1");
    checkpoint.markEmitted(10, "a2");
    checkpoint.markEmitted(20, "b1");
    checkpoint.markEmitted(30, "c1");
    checkpoint.markEmitted(30, "c2");
    checkpoint.markEmitted(30, "c3");

    assertThat(checkpoint.limitSeenIds(6)).isFalse();
    assertThat(checkpoint.limitSeenIds(4)).isTrue();
    assertThat(checkpoint.floor()).isEqualTo(20);
    assertThat(checkpoint.seenCount()).isEqualTo(4);

    // Fewer ids allowed than share the newest millisecond: all of them are still kept.
    assertThat(checkpoint.limitSeenIds(1)).isTrue();
    assertThat(checkpoint.floor()).isEqualTo(30);
    assertThat(checkpoint.seenEvents())
        .extracting(GroupCheckpoint.SeenEvent::eventId)
        .containsExactly("c1", "c2", "c3");
  }
}
