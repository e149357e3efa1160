package io.github.apigatewayotel.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shipped Prometheus alerting rules are valid ({@code promtool check rules}) and pass their
 * unit tests ({@code promtool test rules}): each rule fires on a bad series and stays silent on a
 * good one. Runs the real promtool of the Debian {@code prometheus} package.
 */
class PrometheusRulesTest {

  static final Path RULES = Path.of("prometheus", "apigateway-otel-rules.yml");
  static final Path RULE_TESTS = Path.of("prometheus", "apigateway-otel-rules.test.yml");

  @Test
  void theRulesAreValid() throws Exception {
    String output = promtool("check", "rules", RULES.toString());
    assertThat(output).contains("SUCCESS: 11 rules found");
  }

  @Test
  void everyRuleFiresOnABadSeriesAndStaysSilentOnAGoodOne() throws Exception {
    String output = promtool("test", "rules", RULE_TESTS.toString());
    assertThat(output).contains("SUCCESS");
  }

  /** Runs promtool in the module directory; returns its output, failing on a non-zero exit. */
  private static String promtool(String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(PrometheusBinaries.promtool().toString());
    command.addAll(List.of(arguments));
    Path log = Files.createTempFile("promtool-", ".out");
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(Path.of("").toAbsolutePath().toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      boolean ended = process.waitFor(60, TimeUnit.SECONDS);
      if (!ended) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(ended).as("promtool ended within 60 s").isTrue();
      assertThat(process.exitValue())
          .as("promtool %s:%n%s", String.join(" ", arguments), output)
          .isZero();
      return output;
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
