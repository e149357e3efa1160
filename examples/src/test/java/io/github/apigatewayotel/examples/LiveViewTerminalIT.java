package io.github.apigatewayotel.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's live view in a real terminal: tmux runs {@code java -jar apigateway-otel-demo.jar} in
 * a pane, the test reads the screen with {@code capture-pane} and presses Ctrl-C with {@code
 * send-keys}. The captured screen is kept as {@code target/live-view-snapshot.txt}.
 */
class LiveViewTerminalIT {

  private static final String SESSION = "demo";
  private static final int COLUMNS = 150;
  private static final int ROWS = 60;
  private static final Duration SCREEN_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(20);

  /** A route row of pets-api (REST): route, then requests, 4xx, 5xx, p99 ms, log lines. */
  private static final Pattern PETS_ROUTE_ROW =
      Pattern.compile(
          "GET /pets\\s+([\\d,]+)\\s+([\\d,]+)\\s+([\\d,]+)\\s+([\\d,]+)\\s+([\\d,]+)\\s");

  @TempDir Path dir;

  /** This test's own tmux server, so a user's sessions are never touched. */
  private String socket;

  @BeforeEach
  void requireTmux() {
    Assumptions.assumeTrue(
        commandSucceeds(List.of("tmux", "-V")),
        "tmux is not installed (Debian/Ubuntu package: tmux)");
    socket = "apigateway-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
  }

  @AfterEach
  void killTmuxServer() {
    if (socket != null) {
      commandSucceeds(List.of("tmux", "-L", socket, "kill-server"));
    }
  }

  @Test
  void showsTheTableInPlaceAndCtrlCExitsZeroWithASummary() throws Exception {
    // Keep the pane after the process exits, so its last screen can be read. The exit status goes
    // to a file: a shell that catches Ctrl-C itself (a handler, not "ignore", so the JVM still gets
    // it) waits for the JVM and writes it.
    Path config = Files.writeString(dir.resolve("tmux.conf"), "set-option -g remain-on-exit on\n");
    Path exitStatus = dir.resolve("exit-status");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String command =
        "trap : INT; "
            + quote(java)
            + " -Xmx256m -jar "
            + quote(ItPaths.demoJar().toString())
            + "; echo $? > "
            + quote(exitStatus.toString());
    tmux(
        "-f",
        config.toString(),
        "new-session",
        "-d",
        "-s",
        SESSION,
        "-x",
        String.valueOf(COLUMNS),
        "-y",
        String.valueOf(ROWS),
        "sh -c " + quote(command));

    String screen = "";
    long deadline = System.nanoTime() + SCREEN_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline && !showsTheTable(screen)) {
      Thread.sleep(500);
      screen = tmux("capture-pane", "-p", "-t", SESSION);
    }
    Path snapshot = ItPaths.buildDirectory().resolve("live-view-snapshot.txt");
    Files.writeString(snapshot, screen, StandardCharsets.UTF_8);
    assertThat(showsTheTable(screen))
        .as("the live view within %s:%n%s", SCREEN_TIMEOUT, screen)
        .isTrue();
    assertThat(screen)
        .contains("REQUESTS", "4XX", "5XX", "P99 ms", "LOG LINES", "UPDATED")
        .contains("pets-api", "checkout-http", "inventory-http", "chat-ws", "주문-API", "決済");
    Matcher row = PETS_ROUTE_ROW.matcher(screen);
    assertThat(row.find()).as(screen).isTrue();
    assertThat(number(row.group(1))).as("requests of GET /pets").isPositive();
    assertThat(number(row.group(4))).as("p99 of GET /pets").isPositive();
    // Redrawn in place: one header on the screen, not a scroll of frames.
    assertThat(screen.split("REQUESTS", -1)).hasSize(2);

    tmux("send-keys", "-t", SESSION, "C-c");
    deadline = System.nanoTime() + EXIT_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline
        && !(Files.exists(exitStatus) && Files.size(exitStatus) > 0)) {
      Thread.sleep(250);
    }
    String last = tmux("capture-pane", "-p", "-J", "-t", SESSION); // -J: wrapped lines joined
    assertThat(exitStatus)
        .as("the demo exited within %s; screen:%n%s", EXIT_TIMEOUT, last)
        .exists();
    assertThat(Files.readString(exitStatus).trim())
        .as("exit status; screen:%n%s", last)
        .isEqualTo("0");
    assertThat(last).contains("apigateway-otel demo summary:").contains("pets-api");
    // Lines written and records shown differ by what a first start does not read: the summary says
    // why.
    assertThat(last).contains("before the plugin started (otel.apigateway.logs.lookback");
    // Nothing was sent, and the view says so; the rows without log lines are explained.
    assertThat(screen)
        .doesNotContain("exported so far")
        .contains(
            "would be sent so far",
            "LOG LINES 0, why:",
            "inventory-http $default: the stage has no access logging");
  }

  /**
   * With an exporter that prints OTLP JSON to standard output, the view would redraw over it: the
   * demo shows no view, says so on standard error, and standard output holds the JSON alone.
   */
  @Test
  void anExporterPrintingToStdoutGetsTheTerminalAndTheViewSaysItStepsAside() throws Exception {
    // A JSON line wraps over hundreds of rows: a long history keeps several whole.
    Path config =
        Files.writeString(
            dir.resolve("tmux.conf"),
            "set-option -g remain-on-exit on\nset-option -g history-limit 200000\n");
    Path exitStatus = dir.resolve("exit-status");
    Path stderr = dir.resolve("stderr.txt");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String command =
        // The terminal would echo the Ctrl-C as "^C" into the JSON lines (splitting one at times):
        // it is the terminal's, not the demo's output.
        "stty -echoctl 2>/dev/null; trap : INT; "
            + quote(java)
            + " -Xmx256m -Dotel.logs.exporter=experimental-otlp/stdout"
            + " -Dotel.metrics.exporter=experimental-otlp/stdout -jar "
            + quote(ItPaths.demoJar().toString())
            + " 2> "
            + quote(stderr.toString())
            + "; echo $? > "
            + quote(exitStatus.toString());
    tmux(
        "-f",
        config.toString(),
        "new-session",
        "-d",
        "-s",
        SESSION,
        "-x",
        String.valueOf(COLUMNS),
        "-y",
        String.valueOf(ROWS),
        "sh -c " + quote(command));

    String history = "";
    long deadline = System.nanoTime() + SCREEN_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline
        && !(history.contains("{\"resourceLogs\"") && history.contains("{\"resourceMetrics\""))) {
      Thread.sleep(500);
      history = tmux("capture-pane", "-p", "-J", "-S", "-", "-t", SESSION);
    }
    assertThat(history)
        .as("OTLP JSON on the terminal within %s", SCREEN_TIMEOUT)
        .contains("{\"resourceLogs\"", "{\"resourceMetrics\"");
    assertThat(history)
        .as("no live view drawn over the JSON")
        .doesNotContain("REQUESTS", "LOG LINES", "would be sent");
    assertThat(Files.readString(stderr))
        .contains(
            "no live view: otel.logs.exporter=experimental-otlp/stdout, otel.metrics.exporter=experimental-otlp/stdout");

    tmux("send-keys", "-t", SESSION, "C-c");
    deadline = System.nanoTime() + EXIT_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline
        && !(Files.exists(exitStatus) && Files.size(exitStatus) > 0)) {
      Thread.sleep(250);
    }
    assertThat(exitStatus).as("the demo exited within %s", EXIT_TIMEOUT).exists();
    assertThat(Files.readString(exitStatus).trim()).isEqualTo("0");
    // The pane holds the JSON and nothing of the view or the summary: those went to standard
    // error. (Not "every line starts with {": the SDK's two stdout exporters print from their own
    // threads, and one CI capture held a line beginning in the middle of a metric export's JSON.)
    String last = tmux("capture-pane", "-p", "-J", "-S", "-", "-t", SESSION);
    assertThat(last.lines().filter(line -> line.startsWith("{\"resource"))).isNotEmpty();
    assertThat(last).doesNotContain("UPDATED", "apigateway-otel demo summary:");
    assertThat(Files.readString(stderr))
        .contains(
            "apigateway-otel demo summary:",
            "2m before the plugin started (otel.apigateway.logs.lookback");
  }

  private static boolean showsTheTable(String screen) {
    Matcher row = PETS_ROUTE_ROW.matcher(screen);
    return screen.contains("chat-ws")
        && row.find()
        && number(row.group(1)) > 0
        && number(row.group(4)) > 0;
  }

  private static long number(String digits) {
    return Long.parseLong(digits.replace(",", ""));
  }

  private static String quote(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }

  private String tmux(String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("tmux", "-L", socket));
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    // The demo reads only what the test gives it: no collector endpoint, so the live view shows.
    builder
        .environment()
        .keySet()
        .removeIf(key -> key.startsWith("OTEL_") || key.startsWith("AWS_"));
    builder.environment().putIfAbsent("TERM", "xterm-256color");
    builder.environment().put("LANG", "C.UTF-8");
    Process process = builder.start();
    byte[] output = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("tmux %s returned", command).isTrue();
    String text = new String(output, StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as("tmux %s: %s", command, text).isZero();
    return text;
  }

  private static boolean commandSucceeds(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
