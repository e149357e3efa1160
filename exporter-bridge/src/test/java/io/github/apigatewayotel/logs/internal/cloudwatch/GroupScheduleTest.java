package io.github.apigatewayotel.logs.internal.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class GroupScheduleTest {

  private static final List<String> GROUPS = List.of("a", "b", "c", "d");

  @Test
  void startsAfterTheLastGroupServedAndFromTheFirstWhenItIsGone() {
    GroupSchedule schedule = new GroupSchedule(() -> 0.0);
    assertThat(schedule.order(GROUPS, 0)).containsExactly("a", "b", "c", "d");

    schedule.served("b");
    assertThat(schedule.order(GROUPS, 0)).containsExactly("c", "d", "a", "b");

    schedule.served("d");
    assertThat(schedule.order(GROUPS, 0)).containsExactly("a", "b", "c", "d");

    assertThat(schedule.order(List.of("x", "y"), 0)).containsExactly("x", "y");
  }

  @Test
  void aFailedGroupIsLeftOutUntilItsOwnBackoffEndsAndTheOthersAreNot() {
    GroupSchedule schedule = new GroupSchedule(() -> 0.0);
    long retryAt = schedule.failed("b", 1_000).toMillis() + 1_000;
    assertThat(schedule.order(GROUPS, retryAt - 1)).containsExactly("a", "c", "d");
    assertThat(schedule.order(GROUPS, retryAt)).containsExactly("a", "b", "c", "d");

    assertThat(schedule.failed("b", retryAt)).isEqualTo(RetryBackoff.BASE_DELAY.multipliedBy(2));
    assertThat(schedule.consecutiveFailures("b")).isEqualTo(2);
    schedule.served("b");
    assertThat(schedule.consecutiveFailures("b")).isZero();
    assertThat(schedule.mayTry("b", retryAt)).isTrue();
  }

  @Test
  void forgetsTheBackoffsOfGroupsNoLongerRead() {
    GroupSchedule schedule = new GroupSchedule(() -> 0.0);
    schedule.failed("a", 0);
    schedule.failed("b", 0);
    schedule.retainOnly(List.of("b"));
    assertThat(schedule.mayTry("a", 0)).isTrue();
    assertThat(schedule.mayTry("b", 0)).isFalse();
    schedule.forget("b");
    assertThat(schedule.mayTry("b", 0)).isTrue();
  }
}
