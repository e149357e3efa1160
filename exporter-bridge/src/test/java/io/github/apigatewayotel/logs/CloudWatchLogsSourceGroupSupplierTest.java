package io.github.apigatewayotel.logs;

import static io.github.apigatewayotel.logs.CloudWatchLogsTestFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Groups named by a supplier, e.g. API Gateway stages' access-log destinations. */
class CloudWatchLogsSourceGroupSupplierTest {

  private CloudWatchLogsTestFixture fixture;

  @BeforeEach
  void setUp() throws Exception {
    fixture = new CloudWatchLogsTestFixture();
  }

  @AfterEach
  void tearDown() {
    fixture.close();
  }

  @Test
  void suppliedGroupsAreReadAndLaterOnesJoinAtTheNextDiscovery() {
    List<String> supplied = new CopyOnWriteArrayList<>(List.of("stage-logs-a"));
    fixture.put("stage-logs-a", "s", T0, "a-1");
    fixture.put("stage-logs-b", "s", T0, "b-1");
    fixture.put("unrelated", "s", T0, "u-1");

    try (CloudWatchLogsSource source =
        fixture
            .source()
            .addLogGroupName("named")
            .setDiscoveryInterval(Duration.ofMinutes(5))
            .addLogGroupNameSupplier(() -> supplied)
            .build()) {
      fixture.logs.createLogGroup("named");
      source.pollOnce();
      assertThat(source.logGroups()).containsExactlyInAnyOrder("named", "stage-logs-a");
      assertThat(fixture.bodyCounts()).hasSize(1);

      supplied.add("stage-logs-b");
      source.pollOnce(); // discovery not due yet: the new group waits
      assertThat(source.logGroups()).doesNotContain("stage-logs-b");

      fixture.clock.advanceMillis(Duration.ofMinutes(5).toMillis());
      source.pollOnce();
      assertThat(source.logGroups()).contains("stage-logs-b");
      assertThat(fixture.bodies()).hasSize(2).noneMatch(body -> body.contains("u-1"));
    }
  }

  @Test
  void aFailingSupplierAddsNothingAndTheOtherGroupsAreStillRead() {
    fixture.put("named", "s", T0, "n-1");
    try (CloudWatchLogsSource source =
        fixture
            .source()
            .addLogGroupName("named")
            .addLogGroupNameSupplier(
                () -> {
                  throw new IllegalStateException("boom");
                })
            .addLogGroupNameSupplier(() -> Set.of("missing-group"))
            .build()) {
      source.pollOnce();
      assertThat(fixture.bodies()).hasSize(1);
      assertThat(source.logGroups()).doesNotContain("missing-group"); // not found: dropped
    }
  }
}
