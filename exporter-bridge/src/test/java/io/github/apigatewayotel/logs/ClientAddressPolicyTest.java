package io.github.apigatewayotel.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.apigatewayotel.logs.internal.LineLimits;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClientAddressPolicyTest {

  private static final AttributeKey<String> CLIENT_ADDRESS =
      AttributeKey.stringKey("client.address");
  private static final byte[] KEY = "a-secret-key-for-tests".getBytes(StandardCharsets.UTF_8);

  private final InMemoryTelemetry telemetry = new InMemoryTelemetry();

  @AfterEach
  void close() {
    telemetry.close();
  }

  private static String seedLine(String ip) {
    return "{\"apiId\": \"a1b2c3d4e5\", \"stage\": \"prod\", \"requestId\":\"r-1\", \"ip\":\""
        + ip
        + "\", \"caller\":\"-\", \"user\":\"-\", \"requestTime\":1764000000123,"
        + " \"httpMethod\":\"GET\", \"resourcePath\":\"/pets\", \"status\":200,"
        + " \"protocol\":\"HTTP/1.1\", \"responseLength\":42}";
  }

  private LogRecordData emit(ClientAddressPolicy policy, String line) {
    AccessLogBridge bridge = telemetry.bridge().setClientAddressPolicy(policy).build();
    bridge.emit(line, LogOrigin.unknown());
    return telemetry.onlyRecord();
  }

  private static String expectedHmac(String value) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
    byte[] digest = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest, 0, 16);
  }

  @Test
  void keepIsTheDefaultAndLeavesTheAddressAlone() {
    AccessLogBridge bridge = telemetry.bridge().build();
    bridge.emit(seedLine("203.0.113.7"), LogOrigin.unknown());
    LogRecordData record = telemetry.onlyRecord();
    assertThat(record.getAttributes().get(CLIENT_ADDRESS)).isEqualTo("203.0.113.7");
    assertThat(record.getBodyValue().asString()).isEqualTo(seedLine("203.0.113.7"));
  }

  @Test
  void truncateZeroesTheLastIpv4OctetInAttributeAndBody() {
    LogRecordData record = emit(ClientAddressPolicy.truncate(), seedLine("203.0.113.7"));
    assertThat(record.getAttributes().get(CLIENT_ADDRESS)).isEqualTo("203.0.113.0");
    assertThat(record.getBodyValue().asString()).isEqualTo(seedLine("203.0.113.0"));
  }

  @Test
  void truncateKeepsTheIpv6Slash48InCanonicalForm() {
    LogRecordData record =
        emit(ClientAddressPolicy.truncate(), seedLine("2001:0DB8:85a3:0000:0000:8a2e:0370:7334"));
    assertThat(record.getAttributes().get(CLIENT_ADDRESS)).isEqualTo("2001:db8:85a3::");
    assertThat(record.getBodyValue().asString()).isEqualTo(seedLine("2001:db8:85a3::"));
  }

  @Test
  void truncateTreatsAnIpv4MappedAddressAsIpv4() {
    LogRecordData record = emit(ClientAddressPolicy.truncate(), seedLine("::ffff:198.51.100.9"));
    assertThat(record.getAttributes().get(CLIENT_ADDRESS)).isEqualTo("198.51.100.0");
  }

  @Test
  void truncateDropsAValueThatIsNotAnAddress() {
    LogRecordData record = emit(ClientAddressPolicy.truncate(), seedLine("999.1.2.3"));
    assertThat(record.getAttributes().get(CLIENT_ADDRESS)).isNull();
    assertThat(record.getBodyValue().asString())
        .isEqualTo(seedLine("-"))
        .doesNotContain("999.1.2.3");
  }

  @Test
  void hashIsAKeyedHmacInAttributeAndBody() throws Exception {
    LogRecordData record = emit(ClientAddressPolicy.hash(KEY), seedLine("203.0.113.7"));
    String hashed = expectedHmac("203.0.113.7");
    assertThat(hashed).hasSize(32);
    assertThat(record.getAttributes().get(CLIENT_ADDRESS)).isEqualTo(hashed);
    assertThat(record.getBodyValue().asString()).isEqualTo(seedLine(hashed));
  }

  @Test
  void hashUsesTheCanonicalIpv6SoSpellingsAgree() throws Exception {
    LogRecordData record = emit(ClientAddressPolicy.hash(KEY), seedLine("2001:DB8:0:0:0:0:0:1"));
    assertThat(record.getAttributes().get(CLIENT_ADDRESS)).isEqualTo(expectedHmac("2001:db8::1"));
    assertThat(record.getBodyValue().asString()).doesNotContain("2001:DB8");
  }

  @Test
  void hashHashesAValueThatIsNotAnAddressRatherThanPassingItThrough() throws Exception {
    LogRecordData record = emit(ClientAddressPolicy.hash(KEY), seedLine("not-an-ip"));
    assertThat(record.getAttributes().get(CLIENT_ADDRESS)).isEqualTo(expectedHmac("not-an-ip"));
    assertThat(record.getBodyValue().asString()).doesNotContain("not-an-ip");
  }

  @Test
  void differentKeysGiveDifferentHashes() {
    AccessLogBridge one =
        telemetry.bridge().setClientAddressPolicy(ClientAddressPolicy.hash(KEY)).build();
    AccessLogBridge other =
        telemetry
            .bridge()
            .setClientAddressPolicy(
                ClientAddressPolicy.hash("other".getBytes(StandardCharsets.UTF_8)))
            .build();
    one.emit(seedLine("203.0.113.7"), LogOrigin.unknown());
    other.emit(seedLine("203.0.113.7"), LogOrigin.unknown());
    assertThat(telemetry.records())
        .extracting(record -> record.getAttributes().get(CLIENT_ADDRESS))
        .doesNotHaveDuplicates()
        .hasSize(2);
  }

  @Test
  void aLineThatDoesNotFitHasItsAddressesScrubbedFromTheBody() {
    String line = "garbage 203.0.113.7 and 2001:db8:85a3::7334 at 10:30:04 v1.2.3";
    LogRecordData record = emit(ClientAddressPolicy.truncate(), line);
    assertThat(record.getBodyValue().asString())
        .isEqualTo("garbage 203.0.113.0 and 2001:db8:85a3:: at 10:30:04 v1.2.3");
  }

  @Test
  void aTooLongLineStaysWithinTheBodyLimitAfterHashing() {
    String line = "203.0.113.7 ".repeat(LineLimits.MAX_LINE_CHARS / 12 + 10);
    LogRecordData record = emit(ClientAddressPolicy.hash(KEY), line);
    assertThat(record.getBodyValue().asString())
        .hasSizeLessThanOrEqualTo(LineLimits.MAX_LINE_CHARS)
        .doesNotContain("203.0.113.7");
  }

  @Test
  void onlyStandaloneOccurrencesAreRewritten() {
    String line = seedLine("1.2.3.4").replace("\"r-1\"", "\"11.2.3.45\"");
    LogRecordData record = emit(ClientAddressPolicy.truncate(), line);
    assertThat(record.getBodyValue().asString())
        .contains("\"11.2.3.45\"")
        .contains("\"ip\":\"1.2.3.0\"");
  }

  @Test
  void anEmptyKeyIsRejectedAndToStringHidesTheKey() {
    assertThatThrownBy(() -> ClientAddressPolicy.hash(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ClientAddressPolicy.hash(KEY).toString())
        .isEqualTo("ClientAddressPolicy[hash]")
        .doesNotContain("secret");
  }
}
