package io.github.apigatewayotel.testing.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * The extensions' contract, driven as JUnit drives them: a peer answers on loopback between {@code
 * beforeEach} and {@code afterEach}, and nothing is left listening, nor any system property
 * changed, afterwards.
 */
class JUnitExtensionsTest {

  @Test
  void theOtlpReceiverListensOnlyDuringTheTest() throws Exception {
    OtlpReceiverExtension<OtlpTestReceiver> extension = OtlpReceiverExtension.http();
    assertThatThrownBy(extension::receiver).isInstanceOf(IllegalStateException.class);

    extension.beforeEach(null);
    URI endpoint = URI.create(extension.receiver().endpoint());
    assertThat(accepts(endpoint)).isTrue();

    extension.afterEach(null);
    assertThat(accepts(endpoint)).as("stopped after the test").isFalse();
    assertThatThrownBy(extension::receiver).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theSimulatedAccountIsServedOnlyDuringTheTestAndItsCredentialsAreRestored() throws Exception {
    String before = System.getProperty("aws.accessKeyId");
    SimulatedAwsExtension extension =
        SimulatedAwsExtension.demoAccount("123456789012", "eu-west-1", 1)
            .withLogs()
            .withTestCredentials();
    assertThat(extension.account().series("eu-west-1"))
        .as("the demo account's series")
        .isNotEmpty();

    extension.beforeEach(null);
    URI endpoint = extension.endpoint();
    assertThat(accepts(endpoint)).isTrue();
    assertThat(System.getProperty("aws.accessKeyId"))
        .isEqualTo(SimulatedAwsExtension.TEST_ACCESS_KEY_ID);
    extension.logs().createLogGroup("g");

    extension.afterEach(null);
    assertThat(accepts(endpoint)).as("stopped after the test").isFalse();
    assertThat(System.getProperty("aws.accessKeyId")).isEqualTo(before);
    assertThatThrownBy(extension::server).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void logsAreServedOnlyWhenAskedFor() {
    SimulatedAwsExtension extension =
        SimulatedAwsExtension.demoAccount("123456789012", "eu-west-1", 1);
    assertThatThrownBy(extension::logs).isInstanceOf(IllegalStateException.class);
  }

  private static boolean accepts(URI endpoint) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 2_000);
      return true;
    } catch (ConnectException e) {
      return false;
    }
  }
}
