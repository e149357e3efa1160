package io.github.apigatewayotel.logs;

import java.nio.charset.StandardCharsets;

/**
 * How the fuzz tests read their byte inputs, so that seed files stay plain text: the first byte
 * picks the format ({@code '0'}..{@code '4'}: {@link FuzzedBridge#NAMED_FORMATS}, {@code '5'}: a
 * template given in the input, ended by a NUL byte, before the line); the rest is UTF-8 text. A
 * first byte with its high bit set reads the text as UTF-16 instead, which reaches every char (lone
 * surrogates too) that a caller of {@code emit(String)} can pass.
 */
final class FuzzInputs {

  private FuzzInputs() {}

  /** 0..4: a named format, 5: a template from the input ({@code '0'} is 0). */
  static int formatChoice(byte first) {
    return Math.floorMod((first & 0x7F) - '0', FuzzedBridge.NAMED_FORMATS.size() + 1);
  }

  static String text(byte[] input, int from) {
    return text(input, from, input.length);
  }

  /** The text of {@code input[from, to)}, decoded as the first byte says. */
  static String text(byte[] input, int from, int to) {
    boolean utf16 = input.length > 0 && (input[0] & 0x80) != 0;
    return new String(
        input, from, to - from, utf16 ? StandardCharsets.UTF_16BE : StandardCharsets.UTF_8);
  }

  static int indexOfNul(byte[] input, int from) {
    for (int i = from; i < input.length; i++) {
      if (input[i] == 0) {
        return i;
      }
    }
    return -1;
  }
}
