package io.github.apigatewayotel.examples;

import io.github.apigatewayotel.testing.aws.CloudWatchLogsSimulator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Appends uniquely numbered seed-format lines, evenly over {@link CrashRestartIT#WRITING}, to the
 * access-log file and to CloudWatch Logs, from its own thread.
 */
final class CrashLineWriter implements AutoCloseable {

  private static final long TICK_MILLIS = 20;

  private final Path file;
  private final CloudWatchLogsSimulator logs;
  private final AtomicInteger fileLines = new AtomicInteger();
  private final AtomicInteger cloudWatchLines = new AtomicInteger();
  private final Thread thread = new Thread(this::run, "crash-line-writer");
  private volatile boolean stopped;
  private volatile long startNanos;
  private volatile Exception failure;

  CrashLineWriter(Path file, CloudWatchLogsSimulator logs) {
    this.file = file;
    this.logs = logs;
    thread.setDaemon(true);
  }

  static String requestId(String source, int line) {
    return String.format(Locale.ROOT, "%s-%07d", source, line);
  }

  void start() {
    startNanos = System.nanoTime();
    thread.start();
  }

  long startNanos() {
    return startNanos;
  }

  int fileLines() {
    return fileLines.get();
  }

  int cloudWatchLines() {
    return cloudWatchLines.get();
  }

  Exception failure() {
    return failure;
  }

  boolean awaitEnd(Duration timeout) throws InterruptedException {
    thread.join(timeout.toMillis());
    return !thread.isAlive();
  }

  private void run() {
    long ticks = Math.max(1, CrashRestartIT.WRITING.toMillis() / TICK_MILLIS);
    try (BufferedWriter out =
        Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
      for (long tick = 1; tick <= ticks && !stopped; tick++) {
        int fileTarget = (int) (CrashRestartIT.FILE_LINES * tick / ticks);
        int written = fileLines.get();
        while (written < fileTarget) {
          written++;
          out.write(line(requestId("file", written)));
          out.newLine();
        }
        out.flush();
        fileLines.set(written);
        int cloudWatchTarget = (int) (CrashRestartIT.CLOUDWATCH_LINES * tick / ticks);
        for (int line = cloudWatchLines.get() + 1; line <= cloudWatchTarget; line++) {
          logs.putLogEvent(
              CrashRestartIT.LOG_GROUP,
              "stream-" + line % 3,
              System.currentTimeMillis(),
              line(requestId("cloudwatch", line)));
          cloudWatchLines.set(line);
        }
        CrashRestartIT.sleepUntil(startNanos + tick * TICK_MILLIS * 1_000_000);
      }
    } catch (IOException | InterruptedException e) {
      failure = e;
    }
  }

  private static String line(String requestId) {
    return String.format(
        Locale.ROOT,
        "{ \"apiId\": \"a1b2c3d4e5\", \"stage\": \"prod\", \"requestId\":\"%s\","
            + " \"ip\":\"203.0.113.10\", \"caller\":\"-\", \"user\":\"-\", \"requestTime\":%d,"
            + " \"httpMethod\":\"GET\", \"resourcePath\":\"/pets\", \"status\":200,"
            + " \"protocol\":\"HTTP/1.1\", \"responseLength\":%d }",
        requestId,
        System.currentTimeMillis(),
        requestId.hashCode() & 0xfff);
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    thread.join(10_000);
  }
}
