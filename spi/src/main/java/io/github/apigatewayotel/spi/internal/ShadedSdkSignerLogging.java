package io.github.apigatewayotel.spi.internal;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * Keeps the drop-in jar's relocated AWS SDK signers quiet below INFO. At debug level they log the
 * SigV4 canonical request, headers included: {@code x-amz-security-token} is the session token in
 * clear. Relocation puts them under {@code io.github.apigatewayotel}, so turning the plugin's own
 * logging to FINE would otherwise print credentials. Without relocation (the plugin as a library)
 * the names are the SDK's own and the host's logging decides, as for any AWS SDK user.
 */
final class ShadedSdkSignerLogging {

  private static final String PLUGIN_PACKAGE = "io.github.apigatewayotel.";
  /**
   * Relative to the SDK's root package. Written without the root: the shade plugin rewrites
   * string constants that name SDK packages, which would relocate an absolute name twice.
   */
  private static final List<String> SIGNER_PACKAGES =
      List.of("http.auth.aws.internal.signer", "auth.signer");

  /** Strong references: java.util.logging forgets the level of a logger nobody holds. */
  private static final List<Logger> CAPPED = signerLoggers();

  private ShadedSdkSignerLogging() {}

  /** The signer loggers when the SDK is relocated into the plugin's namespace, else none. */
  private static List<Logger> signerLoggers() {
    String credentials = DefaultCredentialsProvider.class.getPackageName();
    String root = credentials.substring(0, credentials.length() - ".auth.credentials".length());
    if (!root.startsWith(PLUGIN_PACKAGE)) {
      return List.of();
    }
    return SIGNER_PACKAGES.stream().map(name -> Logger.getLogger(root + "." + name)).toList();
  }

  /** Caps the signer loggers at INFO; idempotent, never throws into the host. */
  static void cap() {
    for (Logger logger : CAPPED) {
      try {
        Level level = logger.getLevel();
        if (level == null || level.intValue() < Level.INFO.intValue()) {
          logger.setLevel(Level.INFO);
        }
      } catch (SecurityException e) {
        // A security manager forbids logging control: nothing more can be done here.
      }
    }
  }
}
