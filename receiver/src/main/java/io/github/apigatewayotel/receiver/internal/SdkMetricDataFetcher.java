package io.github.apigatewayotel.receiver.internal;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MessageData;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.MetricStat;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;

/**
 * GetMetricData through the AWS SDK's CloudWatch client (which speaks Smithy RPC v2 CBOR in the SDK
 * version this project uses), its answer turned into the transport-neutral {@link MetricDataPage}.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class SdkMetricDataFetcher implements MetricDataFetcher {

  private final CloudWatchClient cloudWatch;
  private final boolean accountIdPerQuery;

  public SdkMetricDataFetcher(CloudWatchClient cloudWatch) {
    this(cloudWatch, false);
  }

  /**
   * @param accountIdPerQuery whether each query names its series' account ({@code AccountId}), as a
   *     monitoring account reads its linked source accounts' series
   */
  public SdkMetricDataFetcher(CloudWatchClient cloudWatch, boolean accountIdPerQuery) {
    this.cloudWatch = cloudWatch;
    this.accountIdPerQuery = accountIdPerQuery;
  }

  @Override
  public MetricDataPage page(List<PlannedQuery> batch, CollectionWindow window, String nextToken) {
    List<MetricDataQuery> queries = queries(batch, window.periodSeconds(), accountIdPerQuery);
    GetMetricDataResponse response =
        cloudWatch.getMetricData(
            r ->
                r.metricDataQueries(queries)
                    .startTime(window.start())
                    .endTime(window.end())
                    .scanBy(ScanBy.TIMESTAMP_ASCENDING)
                    .nextToken(nextToken));
    List<MetricDataPage.QueryResult> results = new ArrayList<>(response.metricDataResults().size());
    for (MetricDataResult result : response.metricDataResults()) {
      long[] times = new long[result.timestamps().size()];
      for (int i = 0; i < times.length; i++) {
        times[i] = result.timestamps().get(i).getEpochSecond();
      }
      double[] values = new double[result.values().size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = result.values().get(i);
      }
      results.add(
          new MetricDataPage.QueryResult(
              indexOf(result.id()),
              result.statusCodeAsString(),
              times,
              values,
              messages(result.messages())));
    }
    return new MetricDataPage(results, messages(response.messages()), response.nextToken());
  }

  private static List<MetricDataQuery> queries(
      List<PlannedQuery> batch, int periodSeconds, boolean accountIdPerQuery) {
    List<MetricDataQuery> queries = new ArrayList<>(batch.size());
    MonitoredSeries previous = null;
    Metric metric = null;
    for (int i = 0; i < batch.size(); i++) {
      PlannedQuery q = batch.get(i);
      if (q.series
          != previous) { // a series' statistics are adjacent in the plan: one Metric for them
        previous = q.series;
        metric = q.series.toMetric();
      }
      queries.add(
          MetricDataQuery.builder()
              .id(queryId(i)) // ReturnData defaults to true: one field less per query
              .metricStat(
                  MetricStat.builder()
                      .metric(metric)
                      .period(periodSeconds)
                      .stat(q.descriptor.statistic())
                      .build())
              .accountId(accountIdPerQuery ? q.series.account() : null)
              .build());
    }
    return queries;
  }

  private static List<MetricDataPage.Message> messages(List<MessageData> messages) {
    if (messages.isEmpty()) {
      return List.of();
    }
    List<MetricDataPage.Message> out = new ArrayList<>(messages.size());
    for (MessageData message : messages) {
      out.add(new MetricDataPage.Message(message.code(), message.value()));
    }
    return out;
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
