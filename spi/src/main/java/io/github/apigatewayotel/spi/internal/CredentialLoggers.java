package io.github.apigatewayotel.spi.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * Keeps the JDK's {@code HttpURLConnection} logger at INFO or above, whatever level the host sets:
 * it carries the AWS SDK's url-connection client, and at FINE it dumps the headers of every
 * request, {@code Authorization} (the access key id) and {@code X-Amz-Security-Token} (the session
 * token) included. A level is the only guard that also holds under the Java agent, whose log bridge
 * takes each record as it enters {@code Logger.log}, before any filter or handler, and exports it
 * over OTLP. The cap is applied again whenever the logging configuration is read again; when it
 * lowers what the host asked for, that is logged once at INFO.
 *
 * <p>The AWS SDK's own loggers that would print credentials (the SigV4 signers' canonical request)
 * never log at all: see {@link AwsSdkLoggerFactory}.
 */
final class CredentialLoggers {

  private static final Logger logger = Logger.getLogger(CredentialLoggers.class.getName());

  /** The JDK's HTTP client, under which the url-connection client sends every AWS request. */
  static final String JDK_HTTP_URL_CONNECTION = "sun.net.www.protocol.http.HttpURLConnection";

  /**
   * java.util.logging's logger class, by name: under the Java agent, every reference an extension
   * makes to it is rewritten to the agent's own logger, which never reaches java.util.logging.
   */
  private static final String JUL_LOGGER_CLASS = "java.util.logging.Logger";

  private static final AtomicBoolean LISTENING = new AtomicBoolean();
  private static final AtomicBoolean REPORTED = new AtomicBoolean();

  /** A strong reference: java.util.logging forgets the level of a logger nobody holds. */
  private static volatile JulLogger capped;

  private CredentialLoggers() {}

  /**
   * Caps the logger at INFO, now and after every reread of the logging configuration; idempotent,
   * never throws into the host.
   */
  static void cap() {
    try {
      if (capped == null) {
        capped = JulLogger.named(JDK_HTTP_URL_CONNECTION);
      }
      if (LISTENING.compareAndSet(false, true)) {
        LogManager.getLogManager().addConfigurationListener(CredentialLoggers::capNow);
      }
      capNow();
    } catch (ReflectiveOperationException | RuntimeException e) {
      logger.log(Level.WARNING, "apigateway-otel: cannot cap logger " + JDK_HTTP_URL_CONNECTION, e);
    }
  }

  private static void capNow() {
    try {
      Level effective = capped.effectiveLevel();
      if (effective.intValue() < Level.INFO.intValue()) {
        capped.setLevel(Level.INFO);
        if (REPORTED.compareAndSet(false, true)) {
          logger.info(
              "apigateway-otel: logger "
                  + JDK_HTTP_URL_CONNECTION
                  + " kept at INFO instead of "
                  + effective
                  + ": below INFO it prints the AWS credentials of every request the plugin makes");
        }
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // A security manager forbids logging control: nothing more can be done here.
    }
  }

  /** A java.util.logging logger reached by reflection (see {@link #JUL_LOGGER_CLASS}). */
  private static final class JulLogger {
    private final Object logger;
    private final Method getLevel;
    private final Method setLevel;
    private final Method getParent;

    private JulLogger(Object logger, Class<?> type) throws NoSuchMethodException {
      this.logger = logger;
      this.getLevel = type.getMethod("getLevel");
      this.setLevel = type.getMethod("setLevel", Level.class);
      this.getParent = type.getMethod("getParent");
    }

    static JulLogger named(String name) throws ReflectiveOperationException {
      Class<?> type = Class.forName(JUL_LOGGER_CLASS, true, null);
      return new JulLogger(type.getMethod("getLogger", String.class).invoke(null, name), type);
    }

    /** Its own level, else its nearest ancestor's. */
    Level effectiveLevel() throws ReflectiveOperationException {
      for (Object current = logger; current != null; current = getParent.invoke(current)) {
        Level level = (Level) getLevel.invoke(current);
        if (level != null) {
          return level;
        }
      }
      return Level.INFO;
    }

    void setLevel(Level level) throws IllegalAccessException, InvocationTargetException {
      setLevel.invoke(logger, level);
    }
  }
}
