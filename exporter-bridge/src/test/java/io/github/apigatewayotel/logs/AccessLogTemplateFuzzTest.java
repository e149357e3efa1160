package io.github.apigatewayotel.logs;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Arbitrary strings into the template compiler: only the documented IllegalArgumentException (not a
 * usable format) may come out; anything else is a finding. Seeds: the inputs directory beside this
 * class, one UTF-8 template per file.
 */
class AccessLogTemplateFuzzTest {

  @FuzzTest(maxDuration = "20s")
  void compilesOrRejectsWithIllegalArgument(byte[] input) {
    String template = FuzzInputs.text(input, 0);
    try {
      AccessLogFormat format = AccessLogFormat.of(template);
      if (format.variables().isEmpty()) {
        throw new AssertionError("compiled a format without variables: " + template);
      }
    } catch (IllegalArgumentException expected) {
      // the documented rejection of an unusable format
    }
  }
}
