package io.github.apigatewayotel.testing.logging;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * What a java.util.logging logger (and its children) logs while open: for tests that assert a
 * problem is logged once, clearly, and not more. Closing it detaches it.
 */
public final class CapturedLog extends Handler implements AutoCloseable {

  private final Logger logger;

  /** Held strongly: java.util.logging forgets the handlers of a logger nobody holds. */
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();

  private final SimpleFormatter formatter = new SimpleFormatter();

  private CapturedLog(Logger logger) {
    this.logger = logger;
    setLevel(Level.ALL);
  }

  /** Captures what {@code loggerName} and the loggers below it log from now on. */
  public static CapturedLog of(String loggerName) {
    CapturedLog log = new CapturedLog(Logger.getLogger(loggerName));
    log.logger.addHandler(log);
    return log;
  }

  @Override
  public void publish(LogRecord record) {
    records.add(record);
  }

  /** The messages logged at {@code level} or above, formatted (parameters filled in). */
  public List<String> messagesAtLeast(Level level) {
    return records.stream()
        .filter(record -> record.getLevel().intValue() >= level.intValue())
        .map(formatter::formatMessage)
        .toList();
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
