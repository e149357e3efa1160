package io.github.apigatewayotel.state.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.github.apigatewayotel.testing.dynamodb.DynaliteExtension;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Fencing of the shared checkpoints against a real DynamoDB implementation (dynalite). */
class FencedCheckpointsTest {

  @RegisterExtension static final DynaliteExtension DYNAMODB = new DynaliteExtension();

  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final String UNIT = "logs|111111111111|us-east-1|API-Gateway-Access-Logs_a/prod";

  private final Fleets.ManualClock clock = new Fleets.ManualClock();
  private DynamoDbClient client;
  private FleetTable table;

  @BeforeEach
  void table() throws FleetUnavailableException {
    client = Fleets.client(DYNAMODB.endpoint());
    table = new FleetTable(client, Fleets.freshTableName());
    table.ensure();
  }

  @AfterEach
  void close() {
    client.close();
  }

  @Test
  void aReplicaThatLostItsLeaseCanNeverAdvanceTheCheckpoint() throws Exception {
    LeaseCoordinator paused = new LeaseCoordinator(table, "paused", LEASE, clock::nanoTime);
    LeaseCoordinator next = new LeaseCoordinator(table, "next", LEASE, clock::nanoTime);
    FencedCheckpoints pausedStore = new FencedCheckpoints(table);
    FencedCheckpoints nextStore = new FencedCheckpoints(table);

    paused.cycle(List.of(UNIT));
    Lease old = paused.lease(UNIT).orElseThrow();
    assertThat(pausedStore.takeOver(old)).isEmpty();
    assertThat(pausedStore.write(old, bytes("exported up to event 100"))).isTrue();

    next.cycle(List.of(UNIT));
    clock.advance(LEASE); // the paused JVM renews nothing meanwhile
    next.cycle(List.of(UNIT));
    Lease taken = next.lease(UNIT).orElseThrow();
    assertThat(taken.token()).isGreaterThan(old.token());
    assertThat(nextStore.takeOver(taken))
        .get()
        .extracting(FencedCheckpointsTest::text)
        .isEqualTo("exported up to event 100"); // continues where the exported data ends

    // the paused JVM resumes and writes with its old lease: refused, the checkpoint stays
    assertThat(pausedStore.write(old, bytes("exported up to event 180"))).isFalse();
    assertThatThrownBy(() -> pausedStore.takeOver(old)).isInstanceOf(LeaseLostException.class);
    assertThat(nextStore.write(taken, bytes("exported up to event 150"))).isTrue();

    LeaseCoordinator third = new LeaseCoordinator(table, "third", LEASE, clock::nanoTime);
    next.releaseAll();
    third.cycle(List.of(UNIT));
    assertThat(new FencedCheckpoints(table).takeOver(third.lease(UNIT).orElseThrow()))
        .get()
        .extracting(FencedCheckpointsTest::text)
        .isEqualTo("exported up to event 150");
  }

  @Test
  void aCheckpointOverAnItemsSizeIsChunkedAndTheOldChunksDeleted() throws Exception {
    LeaseCoordinator holder = new LeaseCoordinator(table, "a", LEASE, clock::nanoTime);
    holder.cycle(List.of(UNIT));
    Lease lease = holder.lease(UNIT).orElseThrow();
    FencedCheckpoints store = new FencedCheckpoints(table);
    store.takeOver(lease);
    byte[] big =
        new byte[900_000]; // the marks of 10,000 APIs encode to about 860 KB (MarkCodecTest)
    new Random(18).nextBytes(big);
    assertThat(store.write(lease, big)).isTrue();
    assertThat(chunkItems()).isEqualTo(3);
    big[0] ^= 1;
    assertThat(store.write(lease, big)).isTrue();
    assertThat(chunkItems()).isEqualTo(3); // the previous version's chunks are gone

    holder.releaseAll();
    LeaseCoordinator next = new LeaseCoordinator(table, "b", LEASE, clock::nanoTime);
    next.cycle(List.of(UNIT));
    FencedCheckpoints nextStore = new FencedCheckpoints(table);
    assertThat(nextStore.takeOver(next.lease(UNIT).orElseThrow())).get().isEqualTo(big);
    assertThat(nextStore.write(next.lease(UNIT).orElseThrow(), bytes("small again"))).isTrue();
    assertThat(chunkItems()).isZero();
  }

  @Test
  void aMissingTableThatMayNotBeCreatedIsOneClearError() throws Exception {
    HttpServer denying = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    denying.createContext(
        "/",
        exchange -> {
          String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
          boolean describe = target != null && target.endsWith("DescribeTable");
          byte[] body =
              (describe
                      ? "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException\",\"message\":\"Requested resource not found\"}"
                      : "{\"__type\":\"com.amazon.coral.service#AccessDeniedException\",\"message\":\"not authorized to perform: dynamodb:CreateTable\"}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
          exchange.sendResponseHeaders(400, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    denying.start();
    try (DynamoDbClient denied =
        Fleets.client(URI.create("http://127.0.0.1:" + denying.getAddress().getPort()))) {
      assertThatThrownBy(() -> new FleetTable(denied, "apigateway-otel-fleet").ensure())
          .isInstanceOf(FleetUnavailableException.class)
          .hasMessageContaining(
              "apigateway-otel-fleet does not exist and this replica may not create it")
          .hasMessageContaining("dynamodb:CreateTable");
    } finally {
      denying.stop(0);
    }
  }

  private int chunkItems() {
    return client.scanPaginator(r -> r.tableName(table.name())).items().stream()
        .map(item -> item.get("sk"))
        .map(AttributeValue::s)
        .filter(sk -> sk.startsWith("chunk#"))
        .mapToInt(sk -> 1)
        .sum();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
