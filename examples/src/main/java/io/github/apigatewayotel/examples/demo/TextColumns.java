package io.github.apigatewayotel.examples.demo;

/**
 * Pads and cuts text by the cells a terminal gives it: Hangul and CJK characters (API names such as
 * {@code 주문-API} or {@code 決済}) take two cells, so counting chars would break the columns.
 */
final class TextColumns {

  private static final String ELLIPSIS = "~";

  private TextColumns() {}

  static int width(String text) {
    int width = 0;
    for (int i = 0; i < text.length(); ) {
      int codePoint = text.codePointAt(i);
      width += isWide(codePoint) ? 2 : 1;
      i += Character.charCount(codePoint);
    }
    return width;
  }

  /**
   * {@code text} cut to {@code width} cells (ending in {@value #ELLIPSIS} when cut), padded right.
   */
  static String left(String text, int width) {
    String cut = cut(text, width);
    return cut + " ".repeat(width - width(cut));
  }

  /** {@code text} cut to {@code width} cells, padded left (for numbers). */
  static String right(String text, int width) {
    String cut = cut(text, width);
    return " ".repeat(width - width(cut)) + cut;
  }

  private static String cut(String text, int width) {
    if (width(text) <= width) {
      return text;
    }
    StringBuilder out = new StringBuilder();
    int used = 0;
    for (int i = 0; i < text.length(); ) {
      int codePoint = text.codePointAt(i);
      int cells = isWide(codePoint) ? 2 : 1;
      if (used + cells > width - ELLIPSIS.length()) {
        break;
      }
      out.appendCodePoint(codePoint);
      used += cells;
      i += Character.charCount(codePoint);
    }
    return out + ELLIPSIS;
  }

  // East Asian Wide and Fullwidth blocks that API names plausibly use.
  private static boolean isWide(int codePoint) {
    return (codePoint >= 0x1100 && codePoint <= 0x115F)
        || (codePoint >= 0x2E80 && codePoint <= 0xA4CF)
        || (codePoint >= 0xAC00 && codePoint <= 0xD7A3)
        || (codePoint >= 0xF900 && codePoint <= 0xFAFF)
        || (codePoint >= 0xFE30 && codePoint <= 0xFE4F)
        || (codePoint >= 0xFF00 && codePoint <= 0xFF60)
        || (codePoint >= 0xFFE0 && codePoint <= 0xFFE6)
        || (codePoint >= 0x20000 && codePoint <= 0x3FFFD);
  }
}
