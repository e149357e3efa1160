package io.github.apigatewayotel.examples.demo;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Draws the live view: on a terminal, redrawn in place (cursor home, each line cleared to its end,
 * the rest of the screen cleared) at most once a {@link #REDRAW_INTERVAL}; otherwise (output piped,
 * or {@code --plain}) a whole frame appended whenever the numbers changed, at most once a {@link
 * #PLAIN_INTERVAL}, so logs and CI output stay readable.
 */
final class LiveViewScreen implements AutoCloseable {

  private static final Logger logger = Logger.getLogger(LiveViewScreen.class.getName());

  static final Duration REDRAW_INTERVAL = Duration.ofSeconds(1);
  static final Duration PLAIN_INTERVAL = Duration.ofSeconds(5);

  static final String CURSOR_HOME = "\033[H";
  static final String CLEAR_SCREEN = "\033[2J";
  static final String CLEAR_TO_LINE_END = "\033[K";
  static final String CLEAR_TO_SCREEN_END = "\033[J";

  private final PrintStream out;
  private final boolean ansi;
  private final LiveViewTable table;
  private final LiveViewRenderer renderer;
  private final Supplier<String> footer;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread t = new Thread(runnable, "apigateway-otel-demo-screen");
            t.setDaemon(true);
            return t;
          });
  private long drawnVersion = -1;
  private long drawnAtNanos;
  private boolean cleared;

  LiveViewScreen(
      PrintStream out,
      boolean ansi,
      LiveViewTable table,
      LiveViewRenderer renderer,
      Supplier<String> footer) {
    this.out = out;
    this.ansi = ansi;
    this.table = table;
    this.renderer = renderer;
    this.footer = footer;
  }

  boolean isAnsi() {
    return ansi;
  }

  void start() {
    thread.scheduleAtFixedRate(
        this::drawQuietly, 0, REDRAW_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void drawQuietly() {
    try {
      draw(false);
    } catch (RuntimeException e) {
      logger.log(Level.WARNING, "live view frame failed", e);
    }
  }

  /**
   * Draws one frame now; unless {@code force}, plain output skips a frame that shows nothing new.
   */
  synchronized void draw(boolean force) {
    LiveViewTable.Snapshot snapshot = table.snapshot();
    long version = table.version();
    if (snapshot.isEmpty() && !force) {
      return; // the progress lines stay visible until there is something to show
    }
    long now = System.nanoTime();
    boolean plainTooSoon = drawnAtNanos != 0 && now - drawnAtNanos < PLAIN_INTERVAL.toNanos();
    if (!ansi && !force && (version == drawnVersion || plainTooSoon)) {
      return;
    }
    drawnVersion = version;
    drawnAtNanos = now;
    List<String> lines = renderer.render(snapshot, Instant.now(), footer.get());
    StringBuilder frame = new StringBuilder();
    if (ansi) {
      if (!cleared) {
        frame.append(CLEAR_SCREEN);
        cleared = true;
      }
      frame.append(CURSOR_HOME);
      for (String line : lines) {
        frame.append(line).append(CLEAR_TO_LINE_END).append('\n');
      }
      frame.append(CLEAR_TO_SCREEN_END);
    } else {
      for (String line : lines) {
        frame.append(line).append('\n');
      }
      frame.append('\n');
    }
    out.print(frame);
    out.flush();
  }

  /** Stops redrawing; the last frame stays on the screen. */
  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
