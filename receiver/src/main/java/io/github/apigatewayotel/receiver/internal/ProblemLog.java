package io.github.apigatewayotel.receiver.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logs each distinct problem once at WARNING (then at FINE), so a host without AWS access is told
 * clearly what is missing without a warning every poll. A problem that clears is logged again if
 * it returns.
 */
public final class ProblemLog {

  private static final Logger LOGGER = Logger.getLogger("io.github.apigatewayotel.receiver");
  private final Set<String> active = ConcurrentHashMap.newKeySet();
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

  public void problem(String key, String message, Throwable cause) {
    if (active.add(key)) {
      LOGGER.log(Level.WARNING, message, cause);
    } else {
      LOGGER.log(Level.FINE, message, cause);
    }
  }

  public void resolved(String key, String message) {
    if (active.remove(key)) {
      LOGGER.info(message);
    }
  }

  public static Logger logger() {
    return LOGGER;
  }
}
