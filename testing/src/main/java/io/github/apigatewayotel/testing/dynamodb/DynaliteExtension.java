package io.github.apigatewayotel.testing.dynamodb;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real DynamoDB API server for tests: <a
 * href="https://github.com/architect/dynalite">dynalite</a> (npm {@value #VERSION}, an open-source
 * DynamoDB implementation, in memory), installed with npm into a cache directory on first use and
 * started on a loopback port for the test class.
 *
 * <p>Where node or npm is missing the tests skip, saying so, unless the environment variable
 * {@value #REQUIRED} is {@code true} ({@code .ci/run} installs node and npm and sets it): then they
 * fail, so CI never skips them silently.
 *
 * <pre>{@code
 * @RegisterExtension static final DynaliteExtension DYNAMODB = new DynaliteExtension();
 * ... DynamoDbClient.builder().endpointOverride(DYNAMODB.endpoint()) ...
 * }</pre>
 */
public final class DynaliteExtension implements BeforeAllCallback, AfterAllCallback {

  public static final String VERSION = "4.0.0";
  public static final String REQUIRED = "APIGATEWAY_OTEL_REQUIRE_DYNAMODB";
  private static final long START_SECONDS = 60;
  private static final long INSTALL_MINUTES = 5;

  /** Written once npm finished: a half-done install (a killed build) is done again. */
  private static final String INSTALLED = "installed";

  private Process process;
  private URI endpoint;

  /** The endpoint of the running server ({@code http://127.0.0.1:PORT}). */
  public URI endpoint() {
    if (endpoint == null) {
      throw new IllegalStateException(
          "dynalite is not running (register the extension as a static field)");
    }
    return endpoint;
  }

  /**
   * The cache directory dynalite is installed into: {@code
   * ~/.cache/apigateway-otel/dynalite-VERSION}.
   */
  public static Path installDirectory() {
    String override = System.getProperty("apigateway.otel.dynalite.dir");
    return override != null
        ? Path.of(override)
        : Path.of(
            System.getProperty("user.home"), ".cache", "apigateway-otel", "dynalite-" + VERSION);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Path cli = install();
    IOException last = null;
    for (int attempt = 0;
        attempt < 3;
        attempt++) { // a free port may be taken between probe and listen
      int port = freePort();
      try {
        start(cli, port);
        return;
      } catch (IOException e) {
        last = e;
      }
    }
    throw last;
  }

  @Override
  public void afterAll(ExtensionContext context) throws InterruptedException {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      process = null;
      endpoint = null;
    }
  }

  /**
   * Installs dynalite once per machine (npm, into the cache directory); returns its cli.js. A file
   * lock keeps test JVMs running side by side from installing over each other.
   */
  static synchronized Path install() throws IOException, InterruptedException {
    Path dir = installDirectory();
    Path cli = dir.resolve("node_modules").resolve("dynalite").resolve("cli.js");
    requireTool("node");
    if (Files.isRegularFile(dir.resolve(INSTALLED))) {
      return cli;
    }
    requireTool("npm");
    Files.createDirectories(dir);
    try (java.nio.channels.FileChannel lockFile =
            java.nio.channels.FileChannel.open(
                dir.resolve("install.lock"),
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE);
        java.nio.channels.FileLock lock = lockFile.lock()) {
      if (!Files.isRegularFile(dir.resolve(INSTALLED))) {
        npmInstall(dir, cli);
        Files.writeString(dir.resolve(INSTALLED), VERSION + "\n");
      }
    }
    return cli;
  }

  private static void npmInstall(Path dir, Path cli) throws IOException, InterruptedException {
    Process npm =
        new ProcessBuilder(
                "npm",
                "install",
                "--no-audit",
                "--no-fund",
                "--prefix",
                dir.toString(),
                "dynalite@" + VERSION)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("npm-install.log").toFile())
            .start();
    if (!npm.waitFor(INSTALL_MINUTES, TimeUnit.MINUTES)) {
      npm.destroyForcibly();
      throw new IOException(
          "npm install dynalite@" + VERSION + " took over " + INSTALL_MINUTES + " minutes");
    }
    if (npm.exitValue() != 0 || !Files.isRegularFile(cli)) {
      throw new IOException(
          "npm install dynalite@"
              + VERSION
              + " failed (exit "
              + npm.exitValue()
              + "): see "
              + dir.resolve("npm-install.log"));
    }
  }

  private static void requireTool(String tool) {
    boolean found = onPath(tool);
    String missing =
        tool
            + " is not installed (Debian/Ubuntu packages: nodejs npm); the DynamoDB tests need dynalite";
    if (!found && "true".equalsIgnoreCase(System.getenv(REQUIRED))) {
      throw new AssertionError(missing + ", and " + REQUIRED + "=true");
    }
    Assumptions.assumeTrue(found, missing);
  }

  private static boolean onPath(String name) {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(java.io.File.pathSeparator)) {
        Path candidate = Path.of(dir, name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return true;
        }
      }
    }
    return false;
  }

  private void start(Path cli, int port) throws IOException, InterruptedException {
    Process started =
        new ProcessBuilder(
                "node",
                cli.toString(),
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--createTableMs",
                "50",
                "--deleteTableMs",
                "50",
                "--updateTableMs",
                "50")
            .redirectErrorStream(true)
            .start();
    List<String> output = new ArrayList<>();
    CompletableFuture<Boolean> listening =
        CompletableFuture.supplyAsync(
            () -> {
              // not closed here: once listening, the drainer keeps reading until the process ends
              BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8));
              try {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                  synchronized (output) {
                    output.add(line);
                  }
                  if (line.startsWith("Dynalite listening at")) {
                    drain(lines);
                    return true;
                  }
                }
                return false;
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    boolean up;
    try {
      up = listening.get(START_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      up = false;
    }
    if (!up) {
      started.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      synchronized (output) {
        throw new IOException(
            "dynalite did not start on 127.0.0.1:" + port + ": " + String.join("\n", output));
      }
    }
    process = started;
    endpoint = URI.create("http://127.0.0.1:" + port);
  }

  /** Keeps reading the server's output so it never blocks on a full pipe. */
  private static void drain(BufferedReader lines) {
    Thread drainer =
        new Thread(
            () -> {
              try {
                while (lines.readLine() != null) {
                  // discarded: dynalite logs nothing but its start line without --verbose
                }
              } catch (IOException e) {
                // the process ended
              }
            },
            "dynalite-output");
    drainer.setDaemon(true);
    drainer.start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
