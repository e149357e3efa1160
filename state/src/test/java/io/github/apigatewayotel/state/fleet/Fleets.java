package io.github.apigatewayotel.state.fleet;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Real DynamoDB clients against the test's dynalite, a fresh table per test and a clock tests move.
 */
final class Fleets {

  private static final AtomicInteger TABLES = new AtomicInteger();

  private Fleets() {}

  static DynamoDbClient client(URI endpoint) {
    return DynamoDbClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  static String freshTableName() {
    return "fleet-test-" + ProcessHandle.current().pid() + "-" + TABLES.incrementAndGet();
  }

  /** A clock the test moves by hand: nothing in the lease logic waits on real time. */
  static final class ManualClock {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    long nanoTime() {
      return nanos.get();
    }

    void advance(java.time.Duration duration) {
      nanos.addAndGet(duration.toNanos());
    }
  }
}
