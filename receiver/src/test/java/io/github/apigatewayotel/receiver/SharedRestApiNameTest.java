package io.github.apigatewayotel.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import io.github.apigatewayotel.testing.aws.SimulatedAccount.ApiType;
import io.github.apigatewayotel.testing.otlp.ReceivedMetric;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * REST APIs whose CloudWatch {@code ApiName} is the same (same name, or equal once CloudWatch drops
 * non-ASCII characters) are one CloudWatch series: it must name none of them, carry only the tags
 * they agree on, and be reported once and counted.
 */
class SharedRestApiNameTest {

  private static final Instant CREATED = Instant.parse("2024-01-01T00:00:00Z");
  private static final String AMBIGUOUS_COUNTER = "apigateway_otel.receiver.apis.ambiguous_name";

  @RegisterExtension final ReceiverHarness harness = ReceiverHarness.demo();
  private SdkMeterProvider own;
  private final List<LogRecord> warnings = new ArrayList<>();
  private final Logger logger = Logger.getLogger("io.github.apigatewayotel.receiver");
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
            synchronized (warnings) {
              warnings.add(record);
            }
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void setUp() throws Exception {
    own =
        SdkMeterProvider.builder()
            .registerMetricReader(
                PeriodicMetricReader.builder(
                        OtlpHttpMetricExporter.builder()
                            .setEndpoint(harness.otlp.endpoint() + "/v1/metrics")
                            .build())
                    .setInterval(Duration.ofHours(1))
                    .build())
            .build();
    logger.addHandler(capture);
  }

  @AfterEach
  void tearDown() throws Exception {
    logger.removeHandler(capture);
    own.shutdown().join(10, TimeUnit.SECONDS);
  }

  @Test
  void twoRestApisNamedAlikeShareOneSeriesThatNamesNeitherAndKeepsOnlyAgreedTags() {
    harness.account.addApi(
        rest(
            "ordersaaa1",
            "orders",
            List.of("prod", "dev"),
            Map.of("team", "orders", "env", "prod", "owner", "alice"),
            Map.of("prod", Map.of("tier", "gold"))));
    harness.account.addApi(
        rest(
            "ordersbbb2",
            "orders",
            List.of("prod"),
            Map.of("team", "orders", "env", "test", "owner", "bob"),
            Map.of("prod", Map.of("tier", "gold", "shard", "b"))));

    var exported = harness.export(harness.receiverBuilder().meterProvider(own).build());
    exported.pollAndExport();

    List<ReceiverHarness.Point> orders = pointsNamed("orders");
    assertThat(orders).isNotEmpty();
    for (ReceiverHarness.Point p : orders) {
      Map<String, String> a = p.attributes();
      assertThat(a)
          .doesNotContainKeys(
              "aws.apigateway.api.id",
              "cloud.resource_id",
              "aws.tag.env",
              "aws.tag.owner",
              "aws.tag.shard");
      assertThat(a)
          .containsEntry("aws.apigateway.api.type", "rest")
          .containsEntry("aws.tag.team", "orders")
          .containsEntry("cloud.region", ReceiverHarness.REGION)
          .containsEntry("cloud.account.id", ReceiverHarness.ACCOUNT);
    }
    assertThat(orders)
        .filteredOn(p -> "prod".equals(p.attributes().get("aws.apigateway.stage")))
        .isNotEmpty()
        .allSatisfy(p -> assertThat(p.attributes()).containsEntry("aws.tag.tier", "gold"));
    assertThat(orders)
        .filteredOn(p -> "dev".equals(p.attributes().get("aws.apigateway.stage")))
        .isNotEmpty()
        .allSatisfy(p -> assertThat(p.attributes()).doesNotContainKey("aws.tag.tier"));
    assertThat(orders).filteredOn(p -> p.attributes().containsKey("http.route")).isNotEmpty();
    // CloudWatch lists the merged series once: one point per series, statistic and period
    assertThat(duplicatePoints(orders)).isZero();
    assertThat(idsSeen())
        .doesNotContain("ordersaaa1", "ordersbbb2")
        .contains("a1b2c3d4e5", "h7t7p7a7p7");

    // rediscovery finds the same shared name: no second warning, no second count
    harness.clock.advance(Duration.ofMinutes(16));
    exported.pollAndExport();
    own.forceFlush().join(10, TimeUnit.SECONDS);
    assertThat(latestAmbiguousCount()).isEqualTo(1);
    assertThat(warningsNaming("\"orders\""))
        .hasSize(1)
        .allSatisfy(
            message ->
                assertThat(message).contains("ordersaaa1", "ordersbbb2", ReceiverHarness.REGION));
  }

  @Test
  void namesEqualOnceNonAsciiIsDroppedAreSharedAndOnlyThose() {
    // CloudWatch drops é: "café" becomes "caf", like "caf" itself, while "cafe" stays apart
    harness.account.addApi(
        rest("cafeaaaaa1", "caf\u00e9", List.of("prod"), Map.of("team", "cafe"), Map.of()));
    harness.account.addApi(
        rest("cafbbbbbb2", "caf", List.of("prod"), Map.of("team", "cafe"), Map.of()));
    harness.account.addApi(
        rest("cafeccccc3", "cafe", List.of("prod"), Map.of("team", "cafe"), Map.of()));
    // the demo's "주문-API" (k9x8w7v6u5) is "-API" to CloudWatch, and so is "결제-API"
    harness.account.addApi(
        rest("pay0000004", "결제-API", List.of("prod"), Map.of("team", "payments"), Map.of()));

    var exported = harness.export(harness.receiverBuilder().meterProvider(own).build());
    exported.pollAndExport();
    own.forceFlush().join(10, TimeUnit.SECONDS);

    assertThat(pointsNamed("caf"))
        .isNotEmpty()
        .allSatisfy(
            p ->
                assertThat(p.attributes())
                    .doesNotContainKeys("aws.apigateway.api.id", "cloud.resource_id")
                    .containsEntry("aws.tag.team", "cafe"));
    assertThat(pointsNamed("cafe"))
        .isNotEmpty()
        .allSatisfy(
            p -> assertThat(p.attributes()).containsEntry("aws.apigateway.api.id", "cafeccccc3"));
    assertThat(pointsNamed("-API"))
        .isNotEmpty()
        .allSatisfy(
            p ->
                assertThat(p.attributes())
                    .doesNotContainKeys(
                        "aws.apigateway.api.id", "cloud.resource_id", "aws.tag.team"));
    assertThat(pointsNamed("주문-API")).isEmpty();
    assertThat(idsSeen())
        .doesNotContain("cafeaaaaa1", "cafbbbbbb2", "k9x8w7v6u5", "pay0000004")
        .contains("cafeccccc3", "z0y1x2w3v4");
    assertThat(latestAmbiguousCount()).isEqualTo(2);
    assertThat(warningsNaming("\"caf\""))
        .hasSize(1)
        .allSatisfy(
            message ->
                assertThat(message)
                    .contains("cafeaaaaa1", "cafbbbbbb2")
                    .doesNotContain("cafeccccc3"));
    assertThat(warningsNaming("\"-API\""))
        .hasSize(1)
        .allSatisfy(message -> assertThat(message).contains("k9x8w7v6u5", "pay0000004"));
  }

  @Test
  void aNameNoLongerSharedGetsItsIdBackAtTheNextDiscovery() {
    harness.account.addApi(rest("ordersaaa1", "orders", List.of("prod"), Map.of(), Map.of()));
    harness.account.addApi(rest("ordersbbb2", "orders", List.of("prod"), Map.of(), Map.of()));
    var exported = harness.export(harness.receiverBuilder().build());
    exported.pollAndExport();
    assertThat(idsSeen()).doesNotContain("ordersaaa1", "ordersbbb2");

    harness.account.deleteApi("ordersbbb2");
    int before = pointsNamed("orders").size();
    harness.clock.advance(Duration.ofMinutes(16));
    exported.pollAndExport();
    List<ReceiverHarness.Point> after = pointsNamed("orders");
    assertThat(after.subList(before, after.size()))
        .isNotEmpty()
        .allSatisfy(
            p ->
                assertThat(p.attributes())
                    .containsEntry("aws.apigateway.api.id", "ordersaaa1")
                    .containsKey("cloud.resource_id"));
  }

  private static SimulatedAccount.Api rest(
      String id,
      String name,
      List<String> stages,
      Map<String, String> tags,
      Map<String, Map<String, String>> stageTags) {
    return new SimulatedAccount.Api(
        id,
        name,
        ApiType.REST,
        ReceiverHarness.REGION,
        stages,
        List.of("GET /items", "POST /items"),
        tags,
        stageTags,
        true,
        false,
        CREATED);
  }

  private List<ReceiverHarness.Point> pointsNamed(String apiName) {
    return harness.points().stream()
        .filter(p -> apiName.equals(p.attributes().get("aws.apigateway.api.name")))
        .toList();
  }

  private List<String> idsSeen() {
    return harness.points().stream()
        .map(p -> p.attributes().get("aws.apigateway.api.id"))
        .distinct()
        .toList();
  }

  private static long duplicatePoints(List<ReceiverHarness.Point> points) {
    Map<String, Integer> seen = new HashMap<>();
    for (ReceiverHarness.Point p : points) {
      seen.merge(p.name() + p.attributes() + p.point().getTimeUnixNano(), 1, Integer::sum);
    }
    return seen.values().stream().filter(n -> n > 1).count();
  }

  /** The newest exported value of the receiver's ambiguous-name counter in the test region. */
  private long latestAmbiguousCount() {
    long latest = -1;
    for (ReceivedMetric m : harness.otlp.metrics()) {
      if (m.name().equals(AMBIGUOUS_COUNTER)) {
        assertThat(m.metric().getSum().getIsMonotonic()).isTrue();
        for (NumberDataPoint p : m.metric().getSum().getDataPointsList()) {
          assertThat(ReceiverHarness.attributes(p.getAttributesList()))
              .containsEntry("cloud.region", ReceiverHarness.REGION);
          latest = p.getAsInt();
        }
      }
    }
    return latest;
  }

  private List<String> warningsNaming(String text) {
    synchronized (warnings) {
      return warnings.stream().map(LogRecord::getMessage).filter(m -> m.contains(text)).toList();
    }
  }
}
