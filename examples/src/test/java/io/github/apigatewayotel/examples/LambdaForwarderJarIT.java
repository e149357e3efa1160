package io.github.apigatewayotel.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import io.github.apigatewayotel.testing.otlp.ReceivedLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Lambda deployment package ({@code target/apigateway-otel-lambda.jar}) run as Lambda runs it:
 * a JVM with only the package (and {@code LambdaRuntimeHarness}, the stand-in runtime) on its
 * classpath, one subscription event, and a halt right after the handler returns, as Lambda freezes
 * the container. What the receiver holds then was exported before the handler returned.
 */
class LambdaForwarderJarIT {

  static final String HANDLER =
      "io.github.apigatewayotel.spi.lambda.AccessLogForwarder::handleRequest";
  private static final String HARNESS =
      "io.github.apigatewayotel.examples.lambda.LambdaRuntimeHarness";
  private static final String OWNER = "123456789012";
  private static final String REGION = "eu-west-1";
  private static final ObjectMapper json = new ObjectMapper();

  @TempDir Path workDir;

  @Test
  void forwardsEveryLineBeforeTheHandlerReturns() throws Exception {
    List<String> lines = ItPaths.lines(ItPaths.sampleAccessLog(workDir));
    try (OtlpTestReceiver receiver = OtlpTestReceiver.start()) {
      try (ChildJvm lambda = invoke(receiver, subscriptionEvent(lines), 30_000)) {
        int exitCode = lambda.waitFor(60);
        assertThat(exitCode).as(lambda.output()).isZero();
        assertThat(lambda.output()).contains("HANDLER_RETURNED");
      }
      // No await: the JVM halted on return, so whatever was not received by then never will be.
      List<ReceivedLog> records = receiver.logRecords();
      SampleLogAssertions.assertOneRecordPerLine(records, lines);
      for (ReceivedLog record : records) {
        assertThat(record.resource().getAttributesList())
            .anySatisfy(
                kv -> {
                  assertThat(kv.getKey()).isEqualTo("service.name");
                  assertThat(kv.getValue().getStringValue()).isEqualTo("apigateway-access-logs");
                });
      }
    }
  }

  /**
   * The event file examples/README.md gives for a local invocation (the sample log as CloudWatch
   * Logs delivers it), run by the command it documents.
   */
  @Test
  void theDocumentedLocalTestEventForwardsEveryLineOfTheSampleLog() throws Exception {
    Path event =
        ItPaths.buildDirectory().getParent().resolve("lambda/events/subscription-event.json");
    List<String> lines = ItPaths.lines(ItPaths.sampleAccessLog(workDir));
    try (OtlpTestReceiver receiver = OtlpTestReceiver.start();
        ChildJvm lambda = invoke(receiver, event, 30_000)) {
      assertThat(lambda.waitFor(60)).as(lambda.output()).isZero();
      assertThat(lambda.output()).contains("HANDLER_RETURNED");
      SampleLogAssertions.assertOneRecordPerLine(receiver.logRecords(), lines);
    }
  }

  @Test
  void failsTheInvocationWhenTheBackendRejectsTheBatch() throws Exception {
    List<String> lines = ItPaths.lines(ItPaths.sampleAccessLog(workDir));
    try (OtlpTestReceiver receiver = OtlpTestReceiver.start()) {
      receiver.answerWith(400); // not retryable: the exporter gives up at once
      try (ChildJvm lambda = invoke(receiver, subscriptionEvent(lines), 5_000)) {
        int exitCode = lambda.waitFor(60);
        assertThat(exitCode).as(lambda.output()).isEqualTo(3);
        assertThat(lambda.output()).contains("HANDLER_THREW");
      }
      assertThat(receiver.rejectedRequests()).isPositive();
      assertThat(receiver.logRecords()).isEmpty();
    }
  }

  @Test
  void packageHasTheHandlerAndOneLightHttpStackButNoAwsSdk() throws Exception {
    Path jar = lambdaJar();
    try (var zip = new java.util.zip.ZipFile(jar.toFile())) {
      assertThat(zip.getEntry("io/github/apigatewayotel/spi/lambda/AccessLogForwarder.class"))
          .isNotNull();
      assertThat(zip.getEntry("com/amazonaws/services/lambda/runtime/RequestStreamHandler.class"))
          .isNotNull();
      assertThat(
              zip.getEntry(
                  "io/opentelemetry/sdk/autoconfigure/AutoConfiguredOpenTelemetrySdk.class"))
          .isNotNull();
      List<String> names = zip.stream().map(java.util.zip.ZipEntry::getName).toList();
      assertThat(names).anyMatch(name -> name.startsWith("io/opentelemetry/exporter/sender/jdk/"));
      assertThat(names)
          .noneMatch(name -> name.startsWith("okhttp3/"))
          .noneMatch(name -> name.startsWith("kotlin/"))
          .noneMatch(name -> name.contains("/netty/"))
          .noneMatch(name -> name.contains("/apache/"))
          .noneMatch(name -> name.contains("software/amazon/"))
          .noneMatch(name -> name.startsWith("com/fasterxml/"))
          .noneMatch(name -> name.startsWith("io/github/apigatewayotel/testing/"))
          .noneMatch(name -> name.startsWith("io/github/apigatewayotel/examples/"));
    }
    System.out.printf("apigateway-otel-lambda.jar: %d bytes%n", Files.size(jar));
  }

  static Path lambdaJar() {
    Path jar = Path.of(System.getProperty("apigateway.lambda.jar"));
    assertThat(jar).as("built by mvn package").exists();
    return jar;
  }

  private ChildJvm invoke(OtlpTestReceiver receiver, byte[] event, long remainingMillis)
      throws IOException {
    return invoke(receiver, Files.write(workDir.resolve("event.json"), event), remainingMillis);
  }

  private ChildJvm invoke(OtlpTestReceiver receiver, Path eventFile, long remainingMillis)
      throws IOException {
    String classpath =
        ChildJvm.classpath(
            lambdaJar().toString(),
            Path.of(System.getProperty("apigateway.test.classes")).toString());
    Map<String, String> env =
        Map.of(
            "OTEL_EXPORTER_OTLP_ENDPOINT",
            receiver.endpoint(),
            "OTEL_EXPORTER_OTLP_PROTOCOL",
            "http/protobuf",
            "OTEL_SERVICE_NAME",
            "apigateway-access-logs",
            "AWS_REGION",
            REGION);
    return ChildJvm.start(
        List.of("-cp", classpath),
        List.of(HARNESS, HANDLER, eventFile.toString(), Long.toString(remainingMillis)),
        env,
        workDir);
  }

  /** What CloudWatch Logs gives a subscribed function: the delivery, gzipped, base64 in JSON. */
  static byte[] subscriptionEvent(List<String> lines) throws IOException {
    ObjectNode delivery = json.createObjectNode();
    delivery.put("messageType", "DATA_MESSAGE");
    delivery.put("owner", OWNER);
    delivery.put("logGroup", "api-gateway-prod");
    delivery.put("logStream", "a1b2c3d4e5_prod");
    delivery.putArray("subscriptionFilters").add("apigateway-otel-forwarder");
    ArrayNode events = delivery.putArray("logEvents");
    long id = 1;
    for (String line : lines) {
      ObjectNode event = events.addObject();
      event.put("id", Long.toString(id++));
      event.put("timestamp", json.readTree(line).get("requestTime").asLong());
      event.put("message", line);
    }
    ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
      gzip.write(json.writeValueAsBytes(delivery));
    }
    ObjectNode root = json.createObjectNode();
    root.putObject("awslogs")
        .put("data", Base64.getEncoder().encodeToString(gzipped.toByteArray()));
    return json.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
  }
}
