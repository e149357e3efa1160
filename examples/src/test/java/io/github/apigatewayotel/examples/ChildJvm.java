package io.github.apigatewayotel.examples;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A second JVM for end-to-end tests: the real host process, its output kept in a file. */
final class ChildJvm implements AutoCloseable {

  private final Process process;
  private final Path output;

  /** Where stderr went when kept apart from stdout, else null (merged into {@link #output}). */
  private final Path errors;

  private ChildJvm(Process process, Path output, Path errors) {
    this.process = process;
    this.output = output;
    this.errors = errors;
  }

  static ChildJvm start(List<String> jvmArgs, List<String> mainAndArgs, Path workDir)
      throws IOException {
    return start(jvmArgs, mainAndArgs, Map.of(), workDir);
  }

  static ChildJvm start(
      List<String> jvmArgs, List<String> mainAndArgs, Map<String, String> env, Path workDir)
      throws IOException {
    return start(jvmArgs, mainAndArgs, env, workDir, false);
  }

  /** A child whose stdout ({@link #stdout()}) holds nothing of what it logs to stderr. */
  static ChildJvm startWithSeparateStderr(
      List<String> jvmArgs, List<String> mainAndArgs, Path workDir) throws IOException {
    return start(jvmArgs, mainAndArgs, Map.of(), workDir, true);
  }

  private static ChildJvm start(
      List<String> jvmArgs,
      List<String> mainAndArgs,
      Map<String, String> env,
      Path workDir,
      boolean separateStderr)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.addAll(jvmArgs);
    command.addAll(mainAndArgs);
    Path output = Files.createTempFile(workDir, "child-", ".out");
    Path errors = separateStderr ? Files.createTempFile(workDir, "child-", ".err") : null;
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(output.toFile());
    if (errors == null) {
      builder.redirectErrorStream(true);
    } else {
      builder.redirectError(errors.toFile());
    }
    // The child reads only what the test gives it.
    builder
        .environment()
        .keySet()
        .removeIf(key -> key.startsWith("OTEL_") || key.startsWith("AWS_"));
    builder.environment().putAll(env);
    return new ChildJvm(builder.start(), output, errors);
  }

  /** Waits for the process to exit by itself; returns its exit code, or -1 on timeout. */
  int waitFor(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      return -1;
    }
    return process.exitValue();
  }

  /** Everything the child printed (stdout, then stderr when kept apart). */
  String output() throws IOException {
    return errors == null ? stdout() : stdout() + Files.readString(errors, StandardCharsets.UTF_8);
  }

  /** {@link #output()} for a failure message: an output that cannot be read says so instead. */
  String outputForMessage() {
    try {
      return output();
    } catch (IOException e) {
      return "(the child's output cannot be read: " + e + ")";
    }
  }

  /** What the child printed to stdout (and stderr too, unless started with a separate stderr). */
  String stdout() throws IOException {
    return Files.readString(output, StandardCharsets.UTF_8);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Kills the process without warning, as a crash or the OOM killer would: on Linux and macOS
   * {@link Process#destroyForcibly()} sends SIGKILL, so no shutdown hook, flush or checkpoint save
   * runs. Returns its exit code (137, 128 + SIGKILL, on Linux), or -1 if it outlived the timeout.
   */
  int kill(long seconds) throws InterruptedException {
    process.destroyForcibly();
    return waitFor(seconds);
  }

  static String classpath(String... entries) {
    return String.join(File.pathSeparator, entries);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
