package io.github.apigatewayotel.push;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.MeterProvider;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the endpoint counts, on the host's meter provider ({@code apigateway_otel.firehose.*}) and
 * readable here for tests and logs. An access key is never counted by value nor logged.
 */
public final class FirehoseCounts {

  static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
  static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");

  private final LongCounter requests;
  private final LongCounter records;
  private final LongCounter invalidRecords;
  private final AtomicLong unauthorized = new AtomicLong();
  private final AtomicLong invalid = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong exported = new AtomicLong();

  FirehoseCounts(MeterProvider meterProvider) {
    var meter = meterProvider.get("io.github.apigatewayotel.push");
    requests =
        meter
            .counterBuilder("apigateway_otel.firehose.requests")
            .setDescription(
                "Firehose delivery requests, by path and outcome (ok, duplicate, unauthorized,"
                    + " bad_request, too_large, not_exported)")
            .setUnit("{request}")
            .build();
    records =
        meter
            .counterBuilder("apigateway_otel.firehose.records")
            .setDescription("Firehose records received")
            .setUnit("{record}")
            .build();
    invalidRecords =
        meter
            .counterBuilder("apigateway_otel.firehose.records.invalid")
            .setDescription(
                "Firehose records not in the path's format (skipped; the rest of the request is processed)")
            .setUnit("{record}")
            .build();
  }

  void request(String path, String outcome) {
    requests.add(1, Attributes.of(PATH, path, OUTCOME, outcome));
    switch (outcome) {
      case "unauthorized" -> unauthorized.incrementAndGet();
      case "duplicate" -> duplicates.incrementAndGet();
      case "ok" -> exported.incrementAndGet();
      default -> {}
    }
  }

  void records(String path, int count) {
    records.add(count, Attributes.of(PATH, path));
  }

  void invalidRecord(String path) {
    invalid.incrementAndGet();
    invalidRecords.add(1, Attributes.of(PATH, path));
  }

  /** Requests refused for a wrong or missing access key. */
  public long unauthorized() {
    return unauthorized.get();
  }

  /** Records skipped because they were not in the path's format. */
  public long invalidRecords() {
    return invalid.get();
  }

  /** Requests answered 200 from the recent-request-id cache, without exporting again. */
  public long duplicates() {
    return duplicates.get();
  }

  /** Requests answered 200 after their records were exported. */
  public long exportedRequests() {
    return exported.get();
  }
}
