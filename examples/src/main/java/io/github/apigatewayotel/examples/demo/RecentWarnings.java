package io.github.apigatewayotel.examples.demo;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * While the live view owns the terminal, java.util.logging output would tear its frames apart: this
 * handler takes the root logger's place, keeps the last warning for the view's footer and counts
 * them; information messages are dropped (the view shows what they would say).
 */
final class RecentWarnings extends Handler {

  private final AtomicLong count = new AtomicLong();
  private final AtomicReference<String> last = new AtomicReference<>();
  private final SimpleFormatter formatter = new SimpleFormatter();

  /** Replaces the root logger's handlers with a new instance. */
  static RecentWarnings install() {
    Logger root = LogManager.getLogManager().getLogger("");
    for (Handler handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    RecentWarnings warnings = new RecentWarnings();
    warnings.setLevel(Level.WARNING);
    root.addHandler(warnings);
    return warnings;
  }

  @Override
  public void publish(LogRecord record) {
    if (!isLoggable(record)) {
      return;
    }
    count.incrementAndGet();
    String message = formatter.formatMessage(record);
    last.set(record.getLevel() + ": " + message.lines().findFirst().orElse(""));
  }

  /** A footer line for the view, empty when nothing went wrong. */
  String footer() {
    long n = count.get();
    return n == 0 ? "" : n + " warning(s); last: " + last.get();
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
