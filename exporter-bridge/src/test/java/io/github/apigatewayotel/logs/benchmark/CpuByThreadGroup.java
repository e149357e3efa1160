package io.github.apigatewayotel.logs.benchmark;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * CPU time of this JVM between two snapshots, split into groups of threads by name (e.g. the
 * producer, the SDK's export worker, the receiver). Whatever the live Java threads do not account
 * for (GC, JIT compiler, threads that ended in between) is reported as {@code other}. On a shared
 * machine CPU time, unlike wall time, does not count the time a thread waited for a core.
 */
final class CpuByThreadGroup {

  static final String OTHER = "other (GC, JIT, ended threads)";

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final OperatingSystemMXBean process =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final Function<String, String> groupOfThreadName;
  private Map<Long, Long> startByThread;
  private long processStart;

  /** {@code groupOfThreadName} names the group of a thread, by its name. */
  CpuByThreadGroup(Function<String, String> groupOfThreadName) {
    this.groupOfThreadName = groupOfThreadName;
  }

  void start() {
    startByThread = cpuByThread();
    processStart = process.getProcessCpuTime();
  }

  /** Nanoseconds of CPU per group since {@link #start()}, in first-seen order, then OTHER. */
  Map<String, Long> stop() {
    long processNanos = process.getProcessCpuTime() - processStart;
    Map<String, Long> byGroup = new LinkedHashMap<>();
    long accounted = 0;
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null) {
        continue; // ended since the ids were listed
      }
      long now = threads.getThreadCpuTime(info.getThreadId());
      if (now < 0) {
        continue;
      }
      long used = now - startByThread.getOrDefault(info.getThreadId(), 0L);
      byGroup.merge(groupOfThreadName.apply(info.getThreadName()), used, Long::sum);
      accounted += used;
    }
    byGroup.put(OTHER, Math.max(0, processNanos - accounted));
    return byGroup;
  }

  private Map<Long, Long> cpuByThread() {
    Map<Long, Long> cpu = new LinkedHashMap<>();
    for (long id : threads.getAllThreadIds()) {
      long nanos = threads.getThreadCpuTime(id);
      if (nanos >= 0) {
        cpu.put(id, nanos);
      }
    }
    return cpu;
  }
}
