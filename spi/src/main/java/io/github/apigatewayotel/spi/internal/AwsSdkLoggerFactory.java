package io.github.apigatewayotel.spi.internal;

import java.util.List;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.helpers.NOPLogger;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * The loggers the bundled AWS SDK gets through slf4j: {@code delegate}'s, except that the SigV4
 * signers' never log. They log only at debug and trace, and there the canonical request, whose
 * {@code x-amz-security-token} header is the session token in clear; a level cannot keep them quiet
 * everywhere (under the Java agent the jar's loggers follow the agent's own debug switch, which no
 * host setting reaches), so they get a logger that drops everything.
 */
public final class AwsSdkLoggerFactory implements ILoggerFactory {

  /**
   * Relative to the SDK's root package. Written without the root: the shade plugin rewrites string
   * constants that name SDK packages, which would relocate an absolute name twice.
   */
  private static final List<String> SIGNER_PACKAGES =
      List.of("http.auth.aws.internal.signer.", "auth.signer.");

  private final ILoggerFactory delegate;
  private final List<String> silenced;

  public AwsSdkLoggerFactory(ILoggerFactory delegate) {
    this.delegate = delegate;
    String credentials = DefaultCredentialsProvider.class.getPackageName();
    String sdkRoot = credentials.substring(0, credentials.length() - "auth.credentials".length());
    this.silenced = SIGNER_PACKAGES.stream().map(name -> sdkRoot + name).toList();
  }

  @Override
  public Logger getLogger(String name) {
    for (String prefix : silenced) {
      if (name.startsWith(prefix)) {
        return NOPLogger.NOP_LOGGER;
      }
    }
    return delegate.getLogger(name);
  }
}
