package io.github.apigatewayotel.logs.internal;

import java.util.Arrays;

/**
 * The values of one parsed line, by variable slot, kept as ranges of the line so that values the
 * mapper turns into numbers (status, sizes, times) or drops ({@code -}) never become Strings.
 * Values that had to be decoded (JSON escapes) or came from elsewhere are held as Strings. Used by
 * one thread for one line at a time; not thread-safe.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class LineValues {

  /** Ranges are stored as start + 1, so a fresh (zeroed) array means "nothing set". */
  private static final int UNSET = 0;

  /**
   * One instance per thread, reused line after line: three arrays per line were ~40% of the
   * bridge's allocation and a visible share of its time (zeroing). Safe because a line's values are
   * dead once its record is mapped, and mapping never re-enters the bridge.
   */
  private static final ThreadLocal<LineValues> PER_THREAD = new ThreadLocal<>();

  private final int[] starts;
  private final int[] ends;
  private final String[] decoded;
  private int slotCount;
  private String line;
  private boolean dirty;

  public LineValues(int slotCount) {
    this.starts = new int[slotCount];
    this.ends = new int[slotCount];
    this.decoded = new String[slotCount];
    this.slotCount = slotCount;
  }

  /**
   * This thread's instance, emptied and sized for {@code slotCount} slots. Valid until the thread's
   * next call; callers must not keep it beyond one line.
   */
  public static LineValues forThisThread(int slotCount) {
    LineValues values = PER_THREAD.get();
    if (values == null || values.starts.length < slotCount) {
      values = new LineValues(slotCount);
      PER_THREAD.set(values);
    } else {
      values.slotCount = slotCount;
      values.reset(null);
    }
    return values;
  }

  /** Forgets every value and starts on {@code line}. */
  void reset(String line) {
    this.line = line;
    if (dirty) {
      Arrays.fill(starts, UNSET);
      Arrays.fill(decoded, null);
      dirty = false;
    }
  }

  /**
   * Sets {@code slot} to {@code text[start, end)}; {@code text} may be the line or a decoded field.
   */
  void set(int slot, String text, int start, int end) {
    dirty = true;
    if (text == line) {
      starts[slot] = start + 1;
      ends[slot] = end;
      decoded[slot] = null;
    } else {
      setDecoded(slot, text.substring(start, end));
    }
  }

  void setDecoded(int slot, String value) {
    dirty = true;
    decoded[slot] = value;
    starts[slot] = UNSET;
  }

  public int slotCount() {
    return slotCount;
  }

  /**
   * Whether {@code slot} holds a value: set, not empty, and not API Gateway's {@code -} for "no
   * value".
   */
  public boolean isPresent(int slot) {
    String value = decoded[slot];
    if (value != null) {
      return !value.isEmpty() && !"-".equals(value);
    }
    int stored = starts[slot];
    if (stored == UNSET) {
      return false;
    }
    int length = ends[slot] - (stored - 1);
    return length > 1 || (length == 1 && line.charAt(stored - 1) != '-');
  }

  /** The value as a String, reusing {@code previous} when it is the same text (no allocation). */
  public String string(int slot, String previous) {
    String value = decoded[slot];
    if (value != null) {
      return value;
    }
    int start = starts[slot] - 1;
    int length = ends[slot] - start;
    if (previous != null
        && previous.length() == length
        && line.regionMatches(start, previous, 0, length)) {
      return previous;
    }
    return line.substring(start, ends[slot]);
  }

  /** The value as a String. */
  public String string(int slot) {
    return string(slot, null);
  }

  /** The value as a non-negative decimal long, or -1 when it is not one. */
  public long nonNegativeLong(int slot) {
    String value = decoded[slot];
    if (value != null) {
      return Numbers.nonNegativeLong(value, 0, value.length());
    }
    return Numbers.nonNegativeLong(line, starts[slot] - 1, ends[slot]);
  }

  /** Whether the value is exactly {@code text}. */
  public boolean equalsText(int slot, String text) {
    String value = decoded[slot];
    if (value != null) {
      return value.equals(text);
    }
    int stored = starts[slot];
    if (stored == UNSET) {
      return false;
    }
    int start = stored - 1;
    return ends[slot] - start == text.length() && line.regionMatches(start, text, 0, text.length());
  }
}
