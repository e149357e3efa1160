package io.github.apigatewayotel.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.testing.aws.AwsResponse;
import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import io.github.apigatewayotel.testing.aws.SimulatedOrganization;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole organizations against a simulated one: several roles read several accounts, each point with
 * its own account, attributes and tags; a CloudWatch monitoring account is read with its linked
 * source accounts, each point with its owning account, source accounts discovered through their
 * roles where given and named by their dimensions where not. Every datapoint leaves once.
 */
class WholeOrganizationTest {

  static final String REGION = ReceiverHarness.REGION;
  static final String HOME = "999999999999";
  static final String A = "111111111111";
  static final String B = "222222222222";
  static final String C = "333333333333";
  static final String D = "444444444444";
  static final String PETS = "a1b2c3d4e5";
  static final String PETS_PROD =
      "arn:aws:apigateway:" + REGION + "::/restapis/" + PETS + "/stages/prod";

  final List<String> warnings = new CopyOnWriteArrayList<>();
  final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
            warnings.add(record.getMessage());
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  ReceiverHarness harness;

  @BeforeEach
  void captureWarnings() {
    Logger.getLogger("io.github.apigatewayotel.receiver").addHandler(capture);
  }

  @AfterEach
  void tearDown() throws Exception {
    Logger.getLogger("io.github.apigatewayotel.receiver").removeHandler(capture);
    if (harness != null) {
      harness.close();
    }
  }

  /**
   * The demo account under {@code id}, its pets-api tagged {@code team=<team>}: same names, own
   * traffic and tags.
   */
  static SimulatedAccount demo(String id, long seed, String team) {
    SimulatedAccount account = SimulatedAccount.demo(id, REGION, seed);
    SimulatedAccount.Api pets = account.api(PETS);
    account.addApi(
        new SimulatedAccount.Api(
            pets.id(),
            pets.name(),
            pets.type(),
            pets.region(),
            pets.stages(),
            pets.routes(),
            Map.of("team", team, "env", "prod"),
            pets.stageTags(),
            pets.detailedMetrics(),
            pets.httpRouteDimensions(),
            pets.createdDate(),
            pets.accessLogSettings()));
    return account;
  }

  ReceiverHarness.Exported receiver(ApiGatewayMetricsReceiverBuilder builder) {
    return harness.export(
        builder
            .lookback(Duration.ofMinutes(5))
            .aggregationTemporality(AggregationTemporality.DELTA)
            .build());
  }

  /** Three polls a minute apart. */
  List<PollSummary> pollThrice(ReceiverHarness.Exported exported) {
    List<PollSummary> summaries = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      summaries.add(exported.pollAndExport());
      harness.clock.advance(Duration.ofMinutes(1));
    }
    return summaries;
  }

  Map<String, List<ReceiverHarness.Point>> byAccount() {
    return harness.points().stream()
        .collect(Collectors.groupingBy(p -> p.attributes().getOrDefault("cloud.account.id", "")));
  }

  /** Each datapoint (metric, attributes, time) exported once, and something was exported. */
  void eachDatapointOnce() {
    Set<String> keys = new HashSet<>();
    assertThat(harness.points())
        .isNotEmpty()
        .allSatisfy(
            p ->
                assertThat(keys.add(ExactlyOnceTest.key(p)))
                    .as("exported twice: %s", ExactlyOnceTest.key(p))
                    .isTrue());
  }

  /**
   * The pets-api prod stage's Count points of {@code account} hold that account's own traffic,
   * period by period.
   */
  void countsAreTheAccountsOwn(
      String account, List<ReceiverHarness.Point> points, boolean discovered) {
    SimulatedAccount simulated = org.account(account);
    SimulatedAccount.Series series =
        new SimulatedAccount.Series(
            REGION, PETS, "Count", Map.of("ApiName", "pets-api", "Stage", "prod"));
    List<ReceiverHarness.Point> counts =
        points.stream()
            .filter(
                p ->
                    p.name().equals("aws.apigateway.count")
                        && "pets-api".equals(p.attributes().get("aws.apigateway.api.name"))
                        && "prod".equals(p.attributes().get("aws.apigateway.stage"))
                        && !p.attributes().containsKey("http.route"))
            .toList();
    assertThat(counts)
        .hasSizeGreaterThanOrEqualTo(7); // the first window's five periods, then one a minute
    for (ReceiverHarness.Point p : counts) {
      long start = p.point().getStartTimeUnixNano() / 1_000_000_000L;
      assertThat(p.point().getAsDouble())
          .as("%s at %s", account, start)
          .isEqualTo(simulated.value(series, "Sum", start, 60));
      if (discovered) {
        assertThat(p.attributes())
            .containsEntry("aws.apigateway.api.id", PETS)
            .containsEntry("cloud.resource_id", PETS_PROD);
      }
    }
  }

  SimulatedOrganization org;

  @Test
  void twoRolesReadTwoAccountsEachPointWithItsOwnAccountAttributesAndTags() throws Exception {
    org =
        new SimulatedOrganization(
            new SimulatedAccount(HOME, 9), demo(A, 1, "pets-a"), demo(B, 2, "pets-b"));
    harness = new ReceiverHarness(org);
    org.sts().requireExternalId(SimulatedOrganization.roleArn(A), "ext-1");
    org.sts().requireExternalId(SimulatedOrganization.roleArn(B), "ext-1");
    var exported =
        receiver(
            harness
                .receiverBuilder()
                .roleArns(
                    List.of(SimulatedOrganization.roleArn(A), SimulatedOrganization.roleArn(B)))
                .externalId("ext-1"));
    List<PollSummary> polls = pollThrice(exported);

    assertThat(polls).allSatisfy(p -> assertThat(p.failedCalls()).isZero());
    eachDatapointOnce();
    Map<String, List<ReceiverHarness.Point>> byAccount = byAccount();
    assertThat(byAccount).containsOnlyKeys(A, B); // the own credentials' account is not read
    assertThat(byAccount.get(A)).hasSameSizeAs(byAccount.get(B)); // the same APIs in both
    countsAreTheAccountsOwn(A, byAccount.get(A), true);
    countsAreTheAccountsOwn(B, byAccount.get(B), true);
    for (String account : List.of(A, B)) {
      String team = account.equals(A) ? "pets-a" : "pets-b";
      assertThat(byAccount.get(account))
          .filteredOn(p -> PETS_PROD.equals(p.attributes().get("cloud.resource_id")))
          .isNotEmpty()
          .allSatisfy(
              p ->
                  assertThat(p.attributes())
                      .containsEntry("aws.tag.team", team)
                      .containsEntry("aws.tag.tier", "gold")); // the API's own tag and its stage's
      // each account's CloudWatch answered its own queries, through its role
      assertThat(org.cloudWatch(account).queriesReceived()).isPositive();
    }
    assertThat(org.cloudWatch(A).queriesReceived()).isEqualTo(org.cloudWatch(B).queriesReceived());
    assertThat(org.cloudWatch(HOME).queriesReceived()).isZero();
    assertThat(org.sts().assumeRoleCalls())
        .isEqualTo(2); // one session per role, refreshed only when it expires
  }

  @Test
  void aRoleThatCannotBeAssumedStopsOnlyItsOwnAccount() throws Exception {
    org =
        new SimulatedOrganization(
            new SimulatedAccount(HOME, 9), demo(A, 1, "pets-a"), demo(B, 2, "pets-b"));
    harness = new ReceiverHarness(org);
    org.sts().requireExternalId(SimulatedOrganization.roleArn(B), "another-id");
    var exported =
        receiver(
            harness
                .receiverBuilder()
                .externalId("ext-1")
                .roleArns(
                    List.of(SimulatedOrganization.roleArn(A), SimulatedOrganization.roleArn(B))));
    assertThat(pollThrice(exported))
        .allSatisfy(
            summary -> {
              assertThat(summary.failedCalls()).isEqualTo(1); // retried every poll
              assertThat(summary.problems())
                  .singleElement()
                  .asString()
                  .contains("role " + SimulatedOrganization.roleArn(B))
                  .doesNotContain("ext-1");
            });
    assertThat(byAccount()).containsOnlyKeys(A);
    countsAreTheAccountsOwn(A, byAccount().get(A), true);
  }

  @Test
  void twoRolesKeepTheirMarksApartAcrossARestart(@TempDir Path state) throws Exception {
    org =
        new SimulatedOrganization(
            new SimulatedAccount(HOME, 9), demo(A, 1, "pets-a"), demo(B, 2, "pets-b"));
    harness = new ReceiverHarness(org);
    List<String> roles =
        List.of(SimulatedOrganization.roleArn(A), SimulatedOrganization.roleArn(B));
    var first =
        harness.export(harness.receiverBuilder().roleArns(roles).stateDirectory(state).build());
    PollSummary before = first.pollAndExport();
    first.close();
    String marks =
        Files.readString(state.resolve("receiver-high-water-marks.tsv"), StandardCharsets.UTF_8);
    for (String account : List.of(A, B)) {
      assertThat(marks.lines().filter(line -> line.startsWith(account + "%2F")).count())
          .isEqualTo(before.queries() / 2); // every query of each account, under its own key
    }

    harness.clock.advance(Duration.ofMinutes(1));
    var second =
        harness.export(harness.receiverBuilder().roleArns(roles).stateDirectory(state).build());
    PollSummary after = second.pollAndExport();
    assertThat(after.pointsExported() * 10)
        .isEqualTo(before.pointsExported()); // one new period of ten
    eachDatapointOnce();
  }

  @Test
  void aMonitoringAccountGivesEachPointItsOwningAccountAndJoinsSourcesThroughTheirRoles()
      throws Exception {
    org =
        new SimulatedOrganization(
                demo(A, 1, "pets-a"),
                demo(B, 2, "pets-b"),
                demo(C, 3, "pets-c"),
                demo(D, 4, "pets-d"))
            .link(B)
            .link(C); // D is a member, not linked
    harness = new ReceiverHarness(org);
    var exported =
        receiver(
            harness
                .receiverBuilder()
                .linkedAccounts(true)
                .roleArns(
                    List.of(SimulatedOrganization.roleArn(B), SimulatedOrganization.roleArn(D))));
    List<PollSummary> polls = pollThrice(exported);

    assertThat(polls).allSatisfy(p -> assertThat(p.failedCalls()).isZero());
    eachDatapointOnce();
    Map<String, List<ReceiverHarness.Point>> byAccount = byAccount();
    assertThat(byAccount).containsOnlyKeys(A, B, C);
    // nothing lost for any account: the same APIs give as many points, discovered or not
    assertThat(byAccount.get(B)).hasSameSizeAs(byAccount.get(A));
    assertThat(byAccount.get(C)).hasSameSizeAs(byAccount.get(A));
    countsAreTheAccountsOwn(A, byAccount.get(A), true);
    countsAreTheAccountsOwn(B, byAccount.get(B), true);
    countsAreTheAccountsOwn(C, byAccount.get(C), false);
    // the monitoring account's own APIs and B's (through its role) are joined, with their own tags
    assertThat(byAccount.get(A))
        .filteredOn(p -> PETS_PROD.equals(p.attributes().get("cloud.resource_id")))
        .isNotEmpty()
        .allSatisfy(p -> assertThat(p.attributes()).containsEntry("aws.tag.team", "pets-a"));
    assertThat(byAccount.get(B))
        .filteredOn(p -> PETS_PROD.equals(p.attributes().get("cloud.resource_id")))
        .isNotEmpty()
        .allSatisfy(p -> assertThat(p.attributes()).containsEntry("aws.tag.team", "pets-b"));
    assertUndiscovered(byAccount.get(C));
    // one CloudWatch read them all, billed to the monitoring account
    assertThat(org.cloudWatch(A).queriesReading(B))
        .isPositive()
        .isEqualTo(org.cloudWatch(A).queriesReading(A))
        .isEqualTo(org.cloudWatch(A).queriesReading(C));
    for (String source : List.of(B, C, D)) {
      assertThat(org.cloudWatch(source).queriesReceived()).isZero();
    }
    assertThat(warnings)
        .anySatisfy(
            w ->
                assertThat(w)
                    .contains("lists no AWS/ApiGateway series of account " + D)
                    .contains("not linked"));
  }

  @Test
  void withoutRolesLinkedAccountsCarryWhatTheDimensionsSay() throws Exception {
    org = new SimulatedOrganization(demo(A, 1, "pets-a"), demo(B, 2, "pets-b")).link(B);
    harness = new ReceiverHarness(org);
    var exported = receiver(harness.receiverBuilder().linkedAccounts(true));
    pollThrice(exported);

    eachDatapointOnce();
    Map<String, List<ReceiverHarness.Point>> byAccount = byAccount();
    assertThat(byAccount).containsOnlyKeys(A, B);
    assertThat(byAccount.get(B)).hasSameSizeAs(byAccount.get(A));
    countsAreTheAccountsOwn(B, byAccount.get(B), false);
    assertUndiscovered(byAccount.get(B));
    assertThat(org.sts().assumeRoleCalls()).isZero();
  }

  /** A source account without a role: ids and names from the dimensions, ARNs from ids, no tags. */
  static void assertUndiscovered(List<ReceiverHarness.Point> points) {
    assertThat(points)
        .allSatisfy(
            p -> assertThat(p.attributes().keySet()).noneMatch(key -> key.startsWith("aws.tag.")));
    assertThat(points)
        .filteredOn(p -> "pets-api".equals(p.attributes().get("aws.apigateway.api.name")))
        .isNotEmpty()
        .allSatisfy(
            p ->
                assertThat(p.attributes())
                    .containsEntry("aws.apigateway.api.type", "rest")
                    .doesNotContainKeys(
                        "aws.apigateway.api.id", "cloud.resource_id")); // REST metrics name no id
    assertThat(points)
        .filteredOn(
            p ->
                "h7t7p7a7p7".equals(p.attributes().get("aws.apigateway.api.id"))
                    && "$default".equals(p.attributes().get("aws.apigateway.stage")))
        .isNotEmpty()
        .allSatisfy(
            p ->
                assertThat(p.attributes())
                    .containsEntry("aws.apigateway.api.type", "http")
                    .doesNotContainKey("aws.apigateway.api.name")
                    .containsEntry(
                        "cloud.resource_id",
                        "arn:aws:apigateway:" + REGION + "::/apis/h7t7p7a7p7/stages/$default"));
    // a WebSocket API's IntegrationLatency alone tells no type: its API's other series do
    assertThat(points)
        .filteredOn(
            p ->
                "w5s5k5t5c5".equals(p.attributes().get("aws.apigateway.api.id"))
                    && p.name().startsWith("aws.apigateway.integration_latency"))
        .isNotEmpty()
        .allSatisfy(
            p -> assertThat(p.attributes()).containsEntry("aws.apigateway.api.type", "websocket"));
  }

  @Test
  void aSourceRoleThatFailsLeavesItsAccountOutUntilItWorksThenReadsItBack() throws Exception {
    org = new SimulatedOrganization(demo(A, 1, "pets-a"), demo(B, 2, "pets-b")).link(B);
    harness = new ReceiverHarness(org);
    harness.aws.intercept(
        r ->
            "apigateway".equals(r.service()) && B.equals(org.sts().accountOf(r.accessKeyId()))
                ? Optional.of(
                    AwsResponse.restError(
                        403, "AccessDeniedException", "not authorized to perform apigateway:GET"))
                : Optional.empty());
    var exported =
        receiver(
            harness
                .receiverBuilder()
                .linkedAccounts(true)
                .discoveryInterval(Duration.ofMinutes(2))
                .roleArns(List.of(SimulatedOrganization.roleArn(B))));
    PollSummary first = exported.pollAndExport();
    assertThat(byAccount()).containsOnlyKeys(A);
    assertThat(warnings)
        .anySatisfy(
            w ->
                assertThat(w)
                    .contains("cannot discover the API Gateway APIs of linked account " + B)
                    .contains("left out until it works")
                    // in the words of every other AWS failure; a single poll promises no retry
                    .contains(
                        "access denied (AccessDeniedException): the credentials lack apigateway:GET")
                    .doesNotContain("retrying"));

    harness.aws.clearInterceptors();
    for (int i = 0; i < 3; i++) { // the next discovery, two minutes on, finds B's series as new
      harness.clock.advance(Duration.ofMinutes(1));
      exported.pollAndExport();
    }
    eachDatapointOnce();
    Map<String, List<ReceiverHarness.Point>> byAccount = byAccount();
    assertThat(byAccount).containsOnlyKeys(A, B);
    // read back: every period A got since the first poll, B got too, joined through its role
    assertThat(periods(byAccount.get(B))).containsAll(periods(byAccount.get(A)));
    assertThat(periods(byAccount.get(A))).contains(first.windowStart().getEpochSecond());
    countsAreTheAccountsOwn(B, byAccount.get(B), true);
  }

  static Set<Long> periods(List<ReceiverHarness.Point> points) {
    return points.stream()
        .filter(
            p ->
                PETS_PROD.equals(p.attributes().get("cloud.resource_id"))
                    && p.name().equals("aws.apigateway.count")
                    && !p.attributes().containsKey("http.route"))
        .map(p -> p.point().getStartTimeUnixNano() / 1_000_000_000L)
        .collect(Collectors.toCollection(() -> new java.util.TreeSet<>()));
  }
}
