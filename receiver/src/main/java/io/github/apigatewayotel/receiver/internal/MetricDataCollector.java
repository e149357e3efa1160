package io.github.apigatewayotel.receiver.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MessageData;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.MetricStat;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.cloudwatch.model.StatusCode;

/**
 * Runs a region's {@link QueryPlan} with GetMetricData: one call per batch of 500 queries (batches
 * optionally concurrent, since each call waits on CloudWatch),
 * following NextToken (and {@code PartialData}) until CloudWatch has returned everything, then
 * emits each query's datapoints in ascending time through the {@link DatapointEmitter}.
 */
public final class MetricDataCollector {

  /** What one region's collection did. */
  public record Outcome(int calls, int queries, long datapoints, long emitted, int failedBatches, int incompleteQueries) {}

  private final AwsCallRetrier retrier;
  private final DatapointEmitter emitter;
  private final ReceiverTelemetry telemetry;
  private final ProblemLog problems;

  public MetricDataCollector(AwsCallRetrier retrier, DatapointEmitter emitter, ReceiverTelemetry telemetry, ProblemLog problems) {
    this.retrier = retrier;
    this.emitter = emitter;
    this.telemetry = telemetry;
    this.problems = problems;
  }

  /**
   * Collects every batch of {@code plan}; with an {@code executor}, batches run concurrently (each
   * batch owns its queries, so emission needs no further coordination). Waits for all batches.
   */
  public Outcome collect(String region, CloudWatchClient cloudWatch, QueryPlan plan, CollectionWindow window,
      ExecutorService executor) {
    AtomicInteger calls = new AtomicInteger();
    AtomicLong datapoints = new AtomicLong();
    AtomicLong emitted = new AtomicLong();
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger incomplete = new AtomicInteger();
    List<Future<?>> running = new ArrayList<>();
    for (int b = 0; b < plan.calls(); b++) {
      List<PlannedQuery> batch = plan.batch(b);
      Runnable task = () -> collectBatch(region, cloudWatch, batch, window, calls, datapoints, emitted, failed, incomplete);
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
        problems.problem("gmd-unexpected", "apigateway-otel receiver: a GetMetricData batch failed unexpectedly", e.getCause());
      }
    }
    if (failed.get() == 0) {
      problems.resolved("gmd:" + region, "GetMetricData works again in " + region);
      problems.resolved("credentials", "AWS credentials work again");
    }
    telemetry.datapointsExported(emitted.get());
    return new Outcome(calls.get(), plan.size(), datapoints.get(), emitted.get(), failed.get(), incomplete.get());
  }

  private void collectBatch(String region, CloudWatchClient cloudWatch, List<PlannedQuery> batch, CollectionWindow window,
      AtomicInteger calls, AtomicLong datapoints, AtomicLong emitted, AtomicInteger failed, AtomicInteger incomplete) {
    List<MetricDataQuery> queries = new ArrayList<>(batch.size());
    MonitoredSeries previous = null;
    Metric metric = null;
    for (int i = 0; i < batch.size(); i++) {
      PlannedQuery q = batch.get(i);
      if (q.series != previous) { // a series' statistics are adjacent in the plan: one Metric for them
        previous = q.series;
        metric = q.series.toMetric();
      }
      queries.add(MetricDataQuery.builder().id(queryId(i)) // ReturnData defaults to true: one field less per query
          .metricStat(MetricStat.builder().metric(metric).period(window.periodSeconds())
              .stat(q.descriptor.statistic()).build())
          .build());
    }
    // per query of the batch: timestamps (epoch seconds) and values, accumulated across pages
    long[][] times = new long[batch.size()][];
    double[][] values = new double[batch.size()][];
    String token = null;
    try {
      do {
        String current = token;
        GetMetricDataResponse page = retrier.call("cloudwatch:GetMetricData",
            () -> cloudWatch.getMetricData(r -> r.metricDataQueries(queries).startTime(window.start())
                .endTime(window.end()).scanBy(ScanBy.TIMESTAMP_ASCENDING).nextToken(current)));
        calls.incrementAndGet();
        telemetry.getMetricDataCall(queries.size());
        for (MessageData message : page.messages()) {
          problems.problem("gmd-message:" + message.code(), "CloudWatch GetMetricData in " + region + " says "
              + message.code() + ": " + message.value(), null);
        }
        for (MetricDataResult result : page.metricDataResults()) {
          int index = indexOf(result.id());
          if (index < 0 || index >= batch.size()) {
            continue;
          }
          append(times, values, index, result.timestamps(), result.values());
          if (result.statusCode() != StatusCode.COMPLETE && result.statusCode() != StatusCode.PARTIAL_DATA) {
            incomplete.incrementAndGet();
            telemetry.error("cloudwatch:GetMetricData", "status:" + result.statusCodeAsString());
            problems.problem("gmd-status:" + result.statusCodeAsString(), "CloudWatch returned status "
                + result.statusCodeAsString() + " for " + batch.get(index).series.key() + " " + result.messages(), null);
          }
        }
        token = page.nextToken();
      } while (token != null && !token.isEmpty());
    } catch (RuntimeException e) {
      // The batch failed after retries: emit nothing of it, so its periods are fetched again
      // next poll (the high-water marks did not move) and nothing is exported twice.
      failed.incrementAndGet();
      if (AwsCallRetrier.isCredentialProblem(e)) {
        problems.problem("credentials", "apigateway-otel receiver: AWS credentials expired or invalid ("
            + e.getMessage() + "); metrics resume once they are renewed", null);
      } else {
        problems.problem("gmd:" + region, "apigateway-otel receiver: GetMetricData failed in " + region
            + " (" + e.getMessage() + "); retrying next poll", null);
      }
      return;
    }
    long received = 0;
    long accepted = 0;
    for (int i = 0; i < batch.size(); i++) {
      if (times[i] == null) {
        continue;
      }
      received += times[i].length;
      accepted += emitSorted(batch.get(i), times[i], values[i]);
    }
    datapoints.addAndGet(received);
    emitted.addAndGet(accepted);
  }

  private int emitSorted(PlannedQuery query, long[] times, double[] values) {
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
      if (times[i] == previous) {
        continue; // the same period twice in one answer: keep the first
      }
      previous = times[i];
      if (emitter.emit(query, times[i], values[i])) {
        emitted++;
      }
    }
    return emitted;
  }

  private static void append(long[][] times, double[][] values, int index, List<Instant> newTimes, List<Double> newValues) {
    int n = Math.min(newTimes.size(), newValues.size());
    long[] t = times[index] == null ? new long[0] : times[index];
    double[] v = values[index] == null ? new double[0] : values[index];
    long[] t2 = java.util.Arrays.copyOf(t, t.length + n);
    double[] v2 = java.util.Arrays.copyOf(v, v.length + n);
    for (int i = 0; i < n; i++) {
      t2[t.length + i] = newTimes.get(i).getEpochSecond();
      v2[v.length + i] = newValues.get(i);
    }
    times[index] = t2;
    values[index] = v2;
  }

  /** Query ids must match {@code ^[a-z][a-zA-Z0-9_]*$}. */
  static String queryId(int index) {
    return "q" + index;
  }

  static int indexOf(String id) {
    try {
      return id != null && id.startsWith("q") ? Integer.parseInt(id.substring(1)) : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
