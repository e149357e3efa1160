package io.github.apigatewayotel.testing.junit;

import io.github.apigatewayotel.testing.otlp.OtlpBackend;
import io.github.apigatewayotel.testing.otlp.OtlpGrpcTestReceiver;
import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import java.io.IOException;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An OTLP test receiver on loopback for each test: started before it, closed after it, whether it
 * passed or not, so that no test sees another's exports.
 *
 * <pre>{@code
 * @RegisterExtension
 * final OtlpReceiverExtension<OtlpTestReceiver> otlp = OtlpReceiverExtension.http();
 * ... "otel.exporter.otlp.endpoint", otlp.receiver().endpoint() ...
 * }</pre>
 *
 * @param <T> the receiver: {@link OtlpTestReceiver} (OTLP/HTTP) or {@link OtlpGrpcTestReceiver}
 */
public final class OtlpReceiverExtension<T extends OtlpBackend>
    implements BeforeEachCallback, AfterEachCallback {

  /** How a receiver starts: one of the receivers' own {@code start()} methods. */
  @FunctionalInterface
  private interface Starter<T> {
    T start() throws IOException;
  }

  private final Starter<T> starter;
  private T receiver;

  private OtlpReceiverExtension(Starter<T> starter) {
    this.starter = starter;
  }

  /**
   * An OTLP/HTTP receiver ({@code http/protobuf}), as {@link OtlpTestReceiver#start()} starts it.
   */
  public static OtlpReceiverExtension<OtlpTestReceiver> http() {
    return new OtlpReceiverExtension<>(OtlpTestReceiver::start);
  }

  /**
   * An OTLP/gRPC receiver, as {@link OtlpGrpcTestReceiver#start()} starts it; the test's module
   * declares the gRPC runtime (optional in the testing module).
   */
  public static OtlpReceiverExtension<OtlpGrpcTestReceiver> grpc() {
    return new OtlpReceiverExtension<>(OtlpGrpcTestReceiver::start);
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    receiver = starter.start();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (receiver != null) {
      receiver.close();
      receiver = null;
    }
  }

  /** The running receiver; only while a test runs. */
  public T receiver() {
    if (receiver == null) {
      throw new IllegalStateException("the OTLP receiver runs only while a test runs");
    }
    return receiver;
  }
}
