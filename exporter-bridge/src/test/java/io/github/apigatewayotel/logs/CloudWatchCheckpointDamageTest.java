package io.github.apigatewayotel.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.testing.logging.CapturedLog;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CloudWatch Logs group whose checkpoint is damaged while the source was down for an hour: one
 * warning names the file, it is set aside, and the group is read again from its last save minus the
 * overlap (not just the lookback), so no event of the hour is lost.
 */
class CloudWatchCheckpointDamageTest {

  private static final String GROUP = "api-gateway-prod";

  @TempDir Path stateDir;
  private CloudWatchLogsTestFixture fixture;
  private CapturedLog log;

  @BeforeEach
  void setUp() throws Exception {
    fixture = new CloudWatchLogsTestFixture();
    log = CapturedLog.of("io.github.apigatewayotel");
  }

  @AfterEach
  void tearDown() {
    log.close();
    fixture.close();
  }

  @Test
  void aDamagedCheckpointLosesNoEventOfTheDowntime() throws Exception {
    List<String> expected = new ArrayList<>();
    long start = fixture.clock.millis();
    expected.add(fixture.put(GROUP, "s", start - 1_000, "before"));
    try (CloudWatchLogsSource first = source()) {
      first.pollOnce();
    }
    Path checkpoint = onlyCheckpoint();
    // Down for an hour, writing every minute; the checkpoint zeroed meanwhile.
    for (int minute = 1; minute <= 60; minute++) {
      expected.add(fixture.put(GROUP, "s", start + minute * 60_000L - 500, "down-" + minute));
    }
    Files.write(checkpoint, new byte[(int) Files.size(checkpoint)]);
    Files.setLastModifiedTime(checkpoint, FileTime.fromMillis(start));
    fixture.clock.advanceMillis(Duration.ofMinutes(60).toMillis());

    try (CloudWatchLogsSource second = source()) {
      second.pollOnce();
    }

    assertThat(fixture.bodyCounts().keySet()).containsAll(expected);
    // Repeated: at most what the overlap before the last save held.
    assertThat(fixture.bodyCounts().get(expected.get(0))).isEqualTo(2);
    assertThat(log.messagesAtLeast(Level.WARNING))
        .singleElement()
        .satisfies(
            message ->
                assertThat(message)
                    .contains(checkpoint.toString())
                    .contains("set aside as")
                    .contains("reading group " + GROUP));
    assertThat(
            fixture.counter(
                "apigateway_otel.logs.cloudwatch.errors",
                Attributes.of(AttributeKey.stringKey("error.type"), "checkpoint_damaged")))
        .isEqualTo(1);
  }

  private CloudWatchLogsSource source() {
    return fixture.source().addLogGroupName(GROUP).setStateDirectory(stateDir).build();
  }

  private Path onlyCheckpoint() throws Exception {
    try (Stream<Path> files = Files.list(stateDir)) {
      List<Path> all = files.toList();
      assertThat(all).hasSize(1);
      return all.get(0);
    }
  }
}
