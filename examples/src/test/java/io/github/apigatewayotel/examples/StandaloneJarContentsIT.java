package io.github.apigatewayotel.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone jar is what a user runs against AWS: it carries no test code. The simulated
 * account, protobuf and the OTLP protos belong to the demo, which has a jar of its own.
 */
class StandaloneJarContentsIT {

  /** Path prefixes of what only tests and the demo may carry. */
  private static final List<String> TEST_CODE =
      List.of(
          "io/github/apigatewayotel/testing/",
          "io/github/apigatewayotel/examples/demo/",
          "com/google/protobuf/",
          "META-INF/maven/com.google.protobuf/",
          "META-INF/maven/io.opentelemetry.proto/");

  /**
   * The OTLP protos generated for protobuf (opentelemetry-proto). The OTLP exporter's own
   * marshalers live beside them, in {@code .../internal/} packages, and belong to the host.
   */
  private static final String OTLP_PROTOS = "io/opentelemetry/proto/";

  @TempDir Path dir;

  @Test
  void standaloneJarCarriesNoTestCodeNorProtobuf() throws IOException {
    List<String> entries = entries(ItPaths.standaloneJar());
    assertThat(entries)
        .as("what the host runs")
        .contains(
            "io/github/apigatewayotel/examples/StandaloneHost.class",
            "io/github/apigatewayotel/spi/ApiGatewayAutoConfigurationCustomizerProvider.class",
            "io/opentelemetry/exporter/otlp/http/logs/OtlpHttpLogRecordExporter.class");
    assertThat(entries.stream().filter(StandaloneJarContentsIT::isTestCode))
        .as("test code in the standalone jar")
        .isEmpty();
  }

  @Test
  void demoJarCarriesTheSimulatedAccount() throws IOException {
    List<String> entries = entries(ItPaths.demoJar());
    assertThat(entries)
        .contains(
            "io/github/apigatewayotel/examples/demo/DemoHost.class",
            "io/github/apigatewayotel/examples/StandaloneHost.class");
    // What the standalone jar must not hold, as isTestCode sees it: the check is not vacuous.
    assertThat(entries.stream().filter(StandaloneJarContentsIT::isTestCode))
        .contains(
            "io/github/apigatewayotel/testing/aws/SimulatedAccount.class",
            "com/google/protobuf/Message.class",
            "io/opentelemetry/proto/logs/v1/LogRecord.class");
  }

  @Test
  void standaloneJarPointsAtTheDemoJarWhenAskedForTheDemo() throws Exception {
    try (ChildJvm host =
        ChildJvm.start(
            List.of(), List.of("-jar", ItPaths.standaloneJar().toString(), "--demo"), dir)) {
      assertThat(host.waitFor(60)).as(host.output()).isEqualTo(2);
      assertThat(host.output()).contains("apigateway-otel-demo.jar");
    }
  }

  private static boolean isTestCode(String entry) {
    return TEST_CODE.stream().anyMatch(entry::startsWith)
        || (entry.startsWith(OTLP_PROTOS)
            && entry.endsWith(".class")
            && !entry.contains("/internal/"));
  }

  private static List<String> entries(Path jar) throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      return zip.stream().map(ZipEntry::getName).collect(Collectors.toList());
    }
  }
}
