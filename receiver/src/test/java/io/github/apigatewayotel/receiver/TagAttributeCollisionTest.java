package io.github.apigatewayotel.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import io.github.apigatewayotel.testing.aws.SimulatedAccount.ApiType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With an empty tag prefix (Datadog-style bare keys) an AWS tag can be named like an attribute the
 * contract sets: the contract's value wins, the tag is left out, and the clash is logged once.
 */
class TagAttributeCollisionTest {

  @RegisterExtension final ReceiverHarness harness = ReceiverHarness.demo();
  private final List<String> warnings = new ArrayList<>();
  private final Logger logger = Logger.getLogger("io.github.apigatewayotel.receiver");
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
            synchronized (warnings) {
              warnings.add(record.getMessage());
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
    logger.addHandler(capture);
  }

  @AfterEach
  void tearDown() throws Exception {
    logger.removeHandler(capture);
  }

  @Test
  void bareTagKeysNeverReplaceOrInventContractAttributes() {
    harness.account.addApi(
        new SimulatedAccount.Api(
            "clash00001",
            "tag-clash",
            ApiType.HTTP,
            ReceiverHarness.REGION,
            List.of("$default"),
            List.of("GET /x"),
            Map.of(
                "cloud.region",
                "mars-1",
                "aws.apigateway.stage",
                "fake",
                "aws.apigateway.api.id",
                "spoofed",
                "http.route",
                "/bogus",
                "team",
                "t1"),
            Map.of(
                "$default",
                Map.of(
                    "cloud.account.id",
                    "999999999999",
                    "cloud.resource_id",
                    "arn:fake",
                    "tier",
                    "gold")),
            true,
            true,
            Instant.parse("2024-01-01T00:00:00Z")));

    var exported = harness.export(harness.receiverBuilder().tagAttributePrefix("").build());
    exported.pollAndExport();
    harness.clock.advance(Duration.ofMinutes(16)); // rediscovery meets the same tags
    exported.pollAndExport();

    List<ReceiverHarness.Point> points =
        harness.points().stream()
            .filter(p -> "tag-clash".equals(p.attributes().get("aws.apigateway.api.name")))
            .toList();
    assertThat(points).isNotEmpty();
    for (ReceiverHarness.Point p : points) {
      Map<String, String> a = p.attributes();
      assertThat(a)
          .containsEntry("cloud.region", ReceiverHarness.REGION)
          .containsEntry("aws.apigateway.api.id", "clash00001")
          .containsEntry("cloud.account.id", ReceiverHarness.ACCOUNT)
          .containsEntry("team", "t1");
      assertThat(a.get("aws.apigateway.stage")).isNotEqualTo("fake");
      assertThat(a.get("cloud.resource_id"))
          .startsWith("arn:aws:apigateway:" + ReceiverHarness.REGION + "::/apis/clash00001");
      if (a.containsKey("aws.apigateway.stage")) {
        assertThat(a).containsEntry("tier", "gold"); // the stage's own, non-colliding tag is kept
      }
    }
    // series without a route carry no http.route at all, rather than the tag's
    assertThat(points)
        .filteredOn(p -> !p.attributes().containsKey("aws.apigateway.route_key"))
        .isNotEmpty()
        .allSatisfy(p -> assertThat(p.attributes()).doesNotContainKey("http.route"));
    assertThat(points)
        .filteredOn(p -> p.attributes().containsKey("aws.apigateway.route_key"))
        .isNotEmpty()
        .allSatisfy(p -> assertThat(p.attributes()).containsEntry("http.route", "/x"));

    for (String key :
        List.of(
            "cloud.region",
            "aws.apigateway.stage",
            "aws.apigateway.api.id",
            "http.route",
            "cloud.account.id",
            "cloud.resource_id")) {
      assertThat(warningsNaming("\"" + key + "\"")).as(key).hasSize(1);
    }
    assertThat(warningsNaming("\"team\"")).isEmpty();
  }

  @Test
  void withThePrefixTheSameTagsAreKeptUnderIt() {
    harness.account.addApi(
        new SimulatedAccount.Api(
            "clash00002",
            "tag-prefixed",
            ApiType.HTTP,
            ReceiverHarness.REGION,
            List.of("$default"),
            List.of("GET /x"),
            Map.of("cloud.region", "mars-1"),
            Map.of(),
            true,
            true,
            Instant.parse("2024-01-01T00:00:00Z")));
    var exported = harness.export(harness.receiverBuilder().build());
    exported.pollAndExport();
    assertThat(harness.points())
        .filteredOn(p -> "tag-prefixed".equals(p.attributes().get("aws.apigateway.api.name")))
        .isNotEmpty()
        .allSatisfy(
            p ->
                assertThat(p.attributes())
                    .containsEntry("aws.tag.cloud.region", "mars-1")
                    .containsEntry("cloud.region", ReceiverHarness.REGION));
    assertThat(warningsNaming("cloud.region")).isEmpty();
  }

  private List<String> warningsNaming(String text) {
    synchronized (warnings) {
      return warnings.stream().filter(m -> m.contains(text)).toList();
    }
  }
}
