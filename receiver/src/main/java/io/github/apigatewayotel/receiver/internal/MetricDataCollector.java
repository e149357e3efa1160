package io.github.apigatewayotel.receiver.internal;

import io.github.apigatewayotel.state.internal.AwsProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a region's {@link QueryPlan} with GetMetricData through a {@link MetricDataFetcher} (the
 * SDK's CloudWatch client): one call per batch of 500 queries (batches optionally concurrent, since
 * each call waits on CloudWatch), following NextToken (and {@code PartialData}) until CloudWatch
 * has returned everything, then emits each query's datapoints in ascending time through the {@link
 * DatapointEmitter}.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class MetricDataCollector {

  /** What one region's collection did. */
  public record Outcome(
      int calls,
      int queries,
      long datapoints,
      long emitted,
      int failedBatches,
      int incompleteQueries) {}

  private final AwsCallRetrier retrier;
  private final DatapointEmitter emitter;
  private final ReceiverTelemetry telemetry;
  private final ProblemLog problems;

  public MetricDataCollector(
      AwsCallRetrier retrier,
      DatapointEmitter emitter,
      ReceiverTelemetry telemetry,
      ProblemLog problems) {
    this.retrier = retrier;
    this.emitter = emitter;
    this.telemetry = telemetry;
    this.problems = problems;
  }

  /**
   * Collects what each query of {@code plan} still needs of {@code window} ({@link QueryBatches});
   * with an {@code executor}, batches run concurrently (each batch owns its queries, so emission
   * needs no further coordination). Waits for all batches.
   */
  public Outcome collect(
      String region,
      MetricDataFetcher fetcher,
      QueryPlan plan,
      CollectionWindow window,
      ExecutorService executor) {
    return collect(region, fetcher, plan, QueryPlan.ALL, window, executor);
  }

  /**
   * As {@link #collect(String, MetricDataFetcher, QueryPlan, CollectionWindow, ExecutorService)},
   * for one slice of the plan.
   */
  public Outcome collect(
      String region,
      MetricDataFetcher fetcher,
      QueryPlan plan,
      int slice,
      CollectionWindow window,
      ExecutorService executor) {
    AtomicInteger calls = new AtomicInteger();
    AtomicLong datapoints = new AtomicLong();
    AtomicLong emitted = new AtomicLong();
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger incomplete = new AtomicInteger();
    List<Future<?>> running = new ArrayList<>();
    for (QueryBatches.Batch batch : QueryBatches.of(plan, slice, window)) {
      Runnable task =
          () ->
              collectBatch(
                  region,
                  fetcher,
                  batch.queries(),
                  batch.window(),
                  calls,
                  datapoints,
                  emitted,
                  failed,
                  incomplete);
      if (executor == null) {
        task.run();
      } else {
        try {
          running.add(executor.submit(task));
        } catch (RejectedExecutionException e) { // closing: the rest waits for the next run
          failed.incrementAndGet();
          break;
        }
      }
    }
    for (Future<?> future : running) {
      try {
        future.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failed.incrementAndGet();
        running.forEach(f -> f.cancel(true));
        break;
      } catch (ExecutionException e) {
        failed.incrementAndGet();
        problems.problem(
            "gmd-unexpected",
            "apigateway-otel receiver: a GetMetricData batch failed unexpectedly",
            e.getCause());
      }
    }
    if (failed.get() == 0) {
      problems.resolved("gmd:" + region, "GetMetricData works again in " + region);
      problems.resolved("credentials", "AWS credentials work again");
    }
    telemetry.datapointsExported(emitted.get());
    return new Outcome(
        calls.get(),
        plan.queries(slice).size(),
        datapoints.get(),
        emitted.get(),
        failed.get(),
        incomplete.get());
  }

  private void collectBatch(
      String region,
      MetricDataFetcher fetcher,
      List<PlannedQuery> batch,
      CollectionWindow window,
      AtomicInteger calls,
      AtomicLong datapoints,
      AtomicLong emitted,
      AtomicInteger failed,
      AtomicInteger incomplete) {
    // per query of the batch: timestamps (epoch seconds) and values, accumulated across pages
    long[][] times = new long[batch.size()][];
    double[][] values = new double[batch.size()][];
    String token = null;
    PageTokens tokens = new PageTokens("cloudwatch:GetMetricData");
    try {
      do {
        String current = token;
        MetricDataPage page =
            retrier.call("cloudwatch:GetMetricData", () -> fetcher.page(batch, window, current));
        calls.incrementAndGet();
        telemetry.getMetricDataCall(batch.size());
        for (MetricDataPage.Message message : page.messages()) {
          problems.problem(
              "gmd-message:" + message.code(),
              "CloudWatch GetMetricData in "
                  + region
                  + " says "
                  + message.code()
                  + ": "
                  + message.value(),
              null);
        }
        for (MetricDataPage.QueryResult result : page.results()) {
          int index = result.index();
          if (index < 0 || index >= batch.size()) {
            continue;
          }
          append(times, values, index, result.timestamps(), result.values());
          String status = result.statusCode();
          if (!MetricDataPage.COMPLETE.equals(status)
              && !MetricDataPage.PARTIAL_DATA.equals(status)) {
            incomplete.incrementAndGet();
            telemetry.error("cloudwatch:GetMetricData", "status:" + status);
            problems.problem(
                "gmd-status:" + status,
                "CloudWatch returned status "
                    + status
                    + " for "
                    + batch.get(index).series.key()
                    + " "
                    + result.messages(),
                null);
          }
        }
        token = tokens.next(page.nextToken());
      } while (token != null);
    } catch (RuntimeException e) {
      // The batch failed after retries: emit nothing of it, so its periods are fetched again
      // next poll (the high-water marks did not move) and nothing is exported twice.
      failed.incrementAndGet();
      AwsProblem problem = AwsProblem.of(e, "cloudwatch:GetMetricData");
      if (problem.isCredentials()) {
        problems.problem(
            "credentials",
            "apigateway-otel receiver: GetMetricData in "
                + region
                + ": "
                + problem.describe()
                + problems.retrying("metrics resume once this is fixed"),
            null);
      } else {
        problems.problem(
            "gmd:" + region,
            "apigateway-otel receiver: GetMetricData failed in "
                + region
                + ": "
                + problem.describe()
                + problems.retrying("retrying next poll"),
            null);
      }
      return;
    }
    long received = 0;
    long accepted = 0;
    long outside = 0;
    long from = window.start().getEpochSecond();
    long to = window.end().getEpochSecond();
    for (int i = 0; i < batch.size(); i++) {
      if (times[i] == null) {
        continue;
      }
      received += times[i].length;
      accepted += emitSorted(batch.get(i), times[i], values[i], from, to);
      outside += countOutside(times[i], from, to);
    }
    if (outside > 0) {
      // A point past the window would move the query's mark ahead and silence its real periods.
      problems.problem(
          "gmd-outside-window",
          "apigateway-otel receiver: CloudWatch returned "
              + outside
              + " datapoint(s) outside the requested window in "
              + region
              + "; they were ignored",
          null);
    }
    datapoints.addAndGet(received);
    emitted.addAndGet(accepted);
  }

  private static long countOutside(long[] times, long from, long to) {
    long outside = 0;
    for (long time : times) {
      if (time < from || time >= to) {
        outside++;
      }
    }
    return outside;
  }

  /** Emits the points of [from, to) in time order; CloudWatch answers for the window asked. */
  private int emitSorted(PlannedQuery query, long[] times, double[] values, long from, long to) {
    // CloudWatch honours ScanBy, but sort anyway: pages and revisions must not break exactly-once.
    Integer[] order = new Integer[times.length];
    boolean sorted = true;
    for (int i = 0; i < times.length; i++) {
      order[i] = i;
      sorted &= i == 0 || times[i - 1] < times[i];
    }
    if (!sorted) {
      java.util.Arrays.sort(order, (a, b) -> Long.compare(times[a], times[b]));
    }
    int emitted = 0;
    long previous = Long.MIN_VALUE;
    for (Integer i : order) {
      if (times[i] == previous || times[i] < from || times[i] >= to) {
        continue; // the same period twice in one answer (keep the first), or outside the window
      }
      previous = times[i];
      if (emitter.emit(query, times[i], values[i])) {
        emitted++;
      }
    }
    return emitted;
  }

  private static void append(
      long[][] times, double[][] values, int index, long[] newTimes, double[] newValues) {
    int n = Math.min(newTimes.length, newValues.length);
    if (times[index] == null && n == newTimes.length && n == newValues.length) {
      times[index] = newTimes; // the usual case: one page, taken as it is
      values[index] = newValues;
      return;
    }
    long[] t = times[index] == null ? new long[0] : times[index];
    double[] v = values[index] == null ? new double[0] : values[index];
    long[] t2 = java.util.Arrays.copyOf(t, t.length + n);
    double[] v2 = java.util.Arrays.copyOf(v, v.length + n);
    System.arraycopy(newTimes, 0, t2, t.length, n);
    System.arraycopy(newValues, 0, v2, v.length, n);
    times[index] = t2;
    values[index] = v2;
  }
}
