package io.github.apigatewayotel.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The drop-in jar bundles what it needs, relocated, and none of the host's OpenTelemetry. */
class DropInJarIT {

  private static final String SHADED = "io/github/apigatewayotel/shaded/";
  private static List<String> entries;

  @BeforeAll
  static void listJar() throws IOException {
    entries = new ArrayList<>();
    try (JarFile jar = new JarFile(ItPaths.dropInJar().toFile())) {
      jar.stream().map(ZipEntry::getName).forEach(entries::add);
    }
  }

  @Test
  void containsNoOpenTelemetryApiOrSdkClass() {
    assertThat(entries).filteredOn(name -> name.startsWith("io/opentelemetry/")).isEmpty();
    // Semantic-convention constants and the X-Ray propagator are bundled, but relocated.
    assertThat(entries).anyMatch(name -> name.startsWith(SHADED + "io/opentelemetry/semconv/"));
  }

  @Test
  void relocatesEveryThirdPartyPackage() {
    assertThat(entries)
        .filteredOn(name -> name.endsWith(".class"))
        .allMatch(
            name -> withoutVersionPrefix(name).startsWith("io/github/apigatewayotel/"),
            "every class is this project's own or relocated under " + SHADED);
    assertThat(entries).anyMatch(name -> name.startsWith(SHADED + "software/amazon/awssdk/"));
    assertThat(entries).anyMatch(name -> name.startsWith(SHADED + "com/fasterxml/jackson/core/"));
  }

  /** {@code META-INF/versions/11/a/B.class} (a multi-release class) -> {@code a/B.class}. */
  private static String withoutVersionPrefix(String name) {
    return name.startsWith("META-INF/versions/")
        ? name.substring(name.indexOf('/', "META-INF/versions/".length()) + 1)
        : name;
  }

  @Test
  void registersNothingInTheHostSdkButItsOwnProviders() {
    // The autoconfigure provider (properties) and the declarative-configuration component
    // ("apigateway"); nothing of the relocated third-party code (the X-Ray propagator's own).
    assertThat(entries)
        .filteredOn(name -> name.startsWith("META-INF/services/io.opentelemetry."))
        .containsExactlyInAnyOrder(
            "META-INF/services/io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider",
            "META-INF/services/io.opentelemetry.sdk.autoconfigure.spi.internal.ComponentProvider");
  }

  @Test
  void registersTheDeclarativeConfigurationComponent() throws IOException {
    try (JarFile jar = new JarFile(ItPaths.dropInJar().toFile());
        InputStream in =
            jar.getInputStream(
                jar.getEntry(
                    "META-INF/services/io.opentelemetry.sdk.autoconfigure.spi.internal.ComponentProvider"))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip())
          .isEqualTo("io.github.apigatewayotel.spi.ApiGatewayMetricExporterComponentProvider");
    }
  }

  @Test
  void registersTheAutoconfigureProvider() throws IOException {
    try (JarFile jar = new JarFile(ItPaths.dropInJar().toFile())) {
      ZipEntry services =
          jar.getEntry(
              "META-INF/services/io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider");
      assertThat(services).isNotNull();
      try (InputStream in = jar.getInputStream(services)) {
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
            .contains("io.github.apigatewayotel.spi.ApiGatewayAutoConfigurationCustomizerProvider");
      }
    }
  }
}
