package io.github.apigatewayotel.testing.otlp;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes a test receiver's daemon threads and remembers them, so that closing the receiver can wait
 * until every one of them has ended: executors and event loops report termination slightly before
 * their last thread exits, and a test that checks for leftover threads must not see them.
 */
final class ReceiverThreads implements ThreadFactory {

  private final String namePrefix;
  private final AtomicInteger created = new AtomicInteger();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();

  ReceiverThreads(String namePrefix) {
    this.namePrefix = namePrefix;
  }

  @Override
  public Thread newThread(Runnable task) {
    Thread thread = new Thread(task, namePrefix + "-" + created.incrementAndGet());
    thread.setDaemon(true);
    threads.add(thread);
    return thread;
  }

  /**
   * Waits, at most {@code timeout} in all, for every thread made so far to end; returns whether
   * they all did. The executors owning them must have been shut down first.
   */
  boolean awaitAllEnded(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread thread : threads) {
      long remainingMillis = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      thread.join(remainingMillis);
      if (thread.isAlive()) {
        return false;
      }
    }
    return true;
  }
}
