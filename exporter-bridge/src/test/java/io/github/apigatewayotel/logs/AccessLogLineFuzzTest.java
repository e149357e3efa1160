package io.github.apigatewayotel.logs;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Arbitrary lines through the bridge, for each named format and for fuzzed templates: nothing
 * escapes {@code emit}, exactly one record per line, a bounded body, no internal error (checked by
 * {@link FuzzedBridge}). Input layout: see {@link FuzzInputs}.
 */
class AccessLogLineFuzzTest {

  private final FuzzedBridge bridge = new FuzzedBridge();

  @FuzzTest(maxDuration = "30s")
  void everyLineBecomesOneBoundedRecord(byte[] input) {
    if (input.length == 0) {
      return;
    }
    int choice = FuzzInputs.formatChoice(input[0]);
    AccessLogFormat format;
    String line;
    if (choice < FuzzedBridge.NAMED_FORMATS.size()) {
      format = AccessLogFormat.of(FuzzedBridge.NAMED_FORMATS.get(choice));
      line = FuzzInputs.text(input, 1);
    } else {
      int separator = FuzzInputs.indexOfNul(input, 1);
      if (separator < 0) {
        return;
      }
      try {
        format = AccessLogFormat.of(FuzzInputs.text(input, 1, separator));
      } catch (IllegalArgumentException notAFormat) {
        return;
      }
      line = FuzzInputs.text(input, separator + 1);
    }
    bridge.emit(format, line);
  }
}
