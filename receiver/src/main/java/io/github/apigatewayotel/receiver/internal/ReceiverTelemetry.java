package io.github.apigatewayotel.receiver.internal;

import io.github.apigatewayotel.receiver.CloudWatchCost;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterProvider;
import java.util.List;
import java.util.function.Supplier;

/**
 * The receiver's own counters ({@code apigateway_otel.receiver.*}), so operators see what polling
 * costs (every GetMetricData query is billed) and what went wrong.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class ReceiverTelemetry {

  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("aws.operation");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> REGION = AttributeKey.stringKey("cloud.region");
  static final AttributeKey<String> ACCOUNT = AttributeKey.stringKey("cloud.account.id");

  private final LongCounter getMetricDataCalls;
  private final LongCounter queries;
  private final LongCounter datapoints;
  private final LongCounter throttles;
  private final LongCounter errors;
  private final LongCounter dropped;
  private final LongCounter retried;
  private final LongCounter rejected;
  private final LongCounter periodsSkipped;
  private final LongCounter ambiguousRestNames;
  private final Meter meter;

  public ReceiverTelemetry(MeterProvider meterProvider) {
    Meter meter = meterProvider.get("io.github.apigatewayotel.receiver");
    this.meter = meter;
    String prefix = "apigateway_otel.receiver.";
    getMetricDataCalls =
        meter
            .counterBuilder(prefix + "get_metric_data.calls")
            .setUnit("{call}")
            .setDescription("CloudWatch GetMetricData calls made")
            .build();
    queries =
        meter
            .counterBuilder(prefix + "get_metric_data.queries")
            .setUnit("{query}")
            .setDescription("GetMetricData queries sent (CloudWatch bills per metric requested)")
            .build();
    datapoints =
        meter
            .counterBuilder(prefix + "datapoints.exported")
            .setUnit("{datapoint}")
            .setDescription("CloudWatch datapoints turned into metric points")
            .build();
    throttles =
        meter
            .counterBuilder(prefix + "aws.throttles")
            .setUnit("{response}")
            .setDescription("AWS calls answered with throttling, by operation")
            .build();
    errors =
        meter
            .counterBuilder(prefix + "aws.errors")
            .setUnit("{error}")
            .setDescription("AWS calls that failed, by operation and error type")
            .build();
    dropped =
        meter
            .counterBuilder(prefix + "datapoints.dropped")
            .setUnit("{datapoint}")
            .setDescription(
                "Datapoints dropped because no metric reader collected them, or the exporter"
                    + " failed, for longer than the pending-point bound holds")
            .build();
    retried =
        meter
            .counterBuilder(prefix + "datapoints.export_retried")
            .setUnit("{datapoint}")
            .setDescription(
                "Datapoints whose export failed and that were queued again for the next"
                    + " collection (with export confirmation)")
            .build();
    rejected =
        meter
            .counterBuilder(prefix + "datapoints.rejected")
            .setUnit("{datapoint}")
            .setDescription(
                "Datapoints the backend rejected for good (an OTLP status not to be retried,"
                    + " such as HTTP 400) in "
                    + PendingPoints.MAX_REJECTED_ROUNDS
                    + " exports in a row,"
                    + " given up on")
            .build();
    periodsSkipped =
        meter
            .counterBuilder(prefix + "periods.skipped")
            .setUnit("{period}")
            .setDescription(
                "Periods never collected because the receiver (or AWS access) was down for"
                    + " longer than a poll can catch up on")
            .build();
    ambiguousRestNames =
        meter
            .counterBuilder(prefix + "apis.ambiguous_name")
            .setUnit("{name}")
            .setDescription(
                "CloudWatch ApiNames found shared by several REST APIs of a region (their metrics"
                    + " are merged and exported without an API id), by cloud.region; counted when first found")
            .build();
  }

  /**
   * Publishes the cost of each region's plan ({@code costs}, read at each collection) as gauges by
   * {@code cloud.region}: queries per poll, metric requests and US dollars per 30-day month.
   */
  public void observeCosts(Supplier<List<CloudWatchCost>> costs) {
    String prefix = "apigateway_otel.receiver.cost.";
    meter
        .gaugeBuilder(prefix + "queries_per_poll")
        .ofLongs()
        .setUnit("{query}")
        .setDescription(
            "GetMetricData queries per poll interval as planned by the last discovery: each is"
                + " one metric requested, the unit CloudWatch bills")
        .buildWithCallback(
            m -> costs.get().forEach(c -> m.record(c.queriesPerPoll(), costAttributes(c))));
    meter
        .gaugeBuilder(prefix + "metric_requests_per_month")
        .setUnit("{request}")
        .setDescription(
            "GetMetricData metric requests per 30-day month at the current plan and poll interval")
        .buildWithCallback(
            m -> costs.get().forEach(c -> m.record(c.metricRequestsPerMonth(), costAttributes(c))));
    meter
        .gaugeBuilder(prefix + "dollars_per_month")
        .setUnit("{USD}")
        .setDescription(
            "GetMetricData cost per 30-day month at the configured price per 1,000 metric requests")
        .buildWithCallback(
            m -> costs.get().forEach(c -> m.record(c.dollarsPerMonth(), costAttributes(c))));
  }

  private static Attributes costAttributes(CloudWatchCost cost) {
    return cost.accountId() == null
        ? Attributes.of(REGION, cost.region())
        : Attributes.of(REGION, cost.region(), ACCOUNT, cost.accountId());
  }

  public void ambiguousRestName(String region) {
    ambiguousRestNames.add(1, Attributes.of(REGION, region));
  }

  public void periodsSkipped(long count) {
    periodsSkipped.add(count);
  }

  public void rejected(long count) {
    rejected.add(count);
  }

  public void exportRetried(long count) {
    retried.add(count);
  }

  public void getMetricDataCall(int queryCount) {
    getMetricDataCalls.add(1);
    queries.add(queryCount);
  }

  public void datapointsExported(long count) {
    datapoints.add(count);
  }

  public void throttled(String operation) {
    throttles.add(1, Attributes.of(OPERATION, operation));
  }

  public void error(String operation, String errorType) {
    errors.add(1, Attributes.of(OPERATION, operation, ERROR_TYPE, errorType));
  }

  public void dropped(long count) {
    dropped.add(count);
  }
}
