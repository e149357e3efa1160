package io.github.apigatewayotel.logs.internal;

/**
 * A parser compiled once from a format string. It fills {@code values} (indexed by variable slot)
 * with where each variable's text lies in the line, and reports whether the line fit the format.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public interface LineParser {

  /**
   * Parses {@code line} into {@code values}, which the caller has reset to {@code line}; slots the
   * line did not provide stay unset. Returns false when the line does not fit; {@code values} may
   * then hold partial results.
   */
  boolean parse(String line, LineValues values);
}
