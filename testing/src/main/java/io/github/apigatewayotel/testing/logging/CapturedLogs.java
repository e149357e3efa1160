package io.github.apigatewayotel.testing.logging;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * What java.util.logging loggers under a name logged while this is open: for tests that check what
 * a user is told. Close it to detach.
 */
public final class CapturedLogs implements AutoCloseable {

  private final Logger logger;
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final SimpleFormatter formatter = new SimpleFormatter();
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private CapturedLogs(String loggerName) {
    // Held strongly: LogManager keeps loggers only weakly, and a collected one loses its handler.
    this.logger = Logger.getLogger(loggerName);
    handler.setLevel(Level.ALL);
    logger.addHandler(handler);
  }

  /** Captures what the logger {@code loggerName} and those below it log from now on. */
  public static CapturedLogs of(String loggerName) {
    return new CapturedLogs(loggerName);
  }

  /** The messages logged at {@code level} or above, parameters filled in. */
  public List<String> messages(Level level) {
    return records.stream()
        .filter(record -> record.getLevel().intValue() >= level.intValue())
        .map(formatter::formatMessage)
        .toList();
  }

  /** The warnings (and severe messages) logged so far. */
  public List<String> warnings() {
    return messages(Level.WARNING);
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
  }
}
