package io.github.apigatewayotel.receiver.internal;

import io.github.apigatewayotel.state.internal.OnceLogger;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.annotation.Nullable;

/**
 * The receiver's AWS and state problems, each logged once at WARNING while it lasts (then at FINE,
 * through {@link OnceLogger}), so a host without AWS access is told clearly what is missing without
 * a warning every poll; a problem that clears is logged again if it returns. Knows whether polls
 * repeat, so a message promises a retry only when one follows.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class ProblemLog {

  private static final Logger logger = Logger.getLogger(ProblemLog.class.getName());
  private final OnceLogger once = new OnceLogger(logger);

  /** Whether another poll follows (the receiver was started), so a message may promise a retry. */
  private volatile boolean pollsRepeat;

  /** From now on, polls repeat: messages say when the next attempt is. */
  public void pollsRepeat() {
    pollsRepeat = true;
  }

  /** {@code "; " + when} while polls repeat, else nothing: a single poll must not promise one. */
  public String retrying(String when) {
    return pollsRepeat ? "; " + when : "";
  }

  public void problem(String key, String message, @Nullable Throwable cause) {
    once.log(Level.WARNING, key, message, cause);
  }

  public void resolved(String key, String message) {
    once.resolved(key, message);
  }
}
