package io.github.apigatewayotel.state.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OnceLoggerTest {

  private final Logger logger = Logger.getLogger(OnceLoggerTest.class.getName());
  private final List<String> logged = new CopyOnWriteArrayList<>();
  private final OnceLogger once = new OnceLogger(logger);

  @BeforeEach
  void capture() {
    logger.setLevel(Level.ALL);
    // Each record is kept, and goes no further.
    logger.setFilter(
        record -> {
          logged.add(record.getLevel() + " " + record.getMessage());
          return false;
        });
  }

  @AfterEach
  void detach() {
    logger.setFilter(null);
    logger.setLevel(null);
  }

  @Test
  void aProblemIsLoggedAtItsLevelOnceThenAtFine() {
    assertThat(once.warning("denied", "access denied")).isTrue();
    assertThat(once.warning("denied", "access denied")).isFalse();
    assertThat(once.log(Level.INFO, "missing", "file missing", null)).isTrue();

    assertThat(logged)
        .containsExactly("WARNING access denied", "FINE access denied", "INFO file missing");
  }

  @Test
  void aClearedProblemIsLoggedAtItsLevelAgainWhenItReturns() {
    once.warning("group a\nthrottled", "throttled");
    once.warning("group b\nthrottled", "throttled");
    once.clearIf(key -> key.startsWith("group a\n"));
    once.warning("group a\nthrottled", "throttled again");
    once.warning("group b\nthrottled", "still throttled");

    assertThat(logged)
        .containsExactly(
            "WARNING throttled",
            "WARNING throttled",
            "WARNING throttled again",
            "FINE still throttled");
  }

  @Test
  void resolvedSaysSoOnlyForAnActiveProblem() {
    once.resolved("denied", "not said: never active");
    once.warning("denied", "access denied");
    once.resolved("denied", "access granted");
    assertThat(once.clear("denied")).isFalse();

    assertThat(logged).containsExactly("WARNING access denied", "INFO access granted");
  }
}
