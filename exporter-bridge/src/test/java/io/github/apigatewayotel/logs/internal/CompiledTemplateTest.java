package io.github.apigatewayotel.logs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CompiledTemplateTest {

  private static String[] parse(CompiledTemplate template, String line, boolean expectFit) {
    LineValues values = new LineValues(template.slotCount());
    assertThat(template.parse(line, values)).as(line).isEqualTo(expectFit);
    String[] strings = new String[template.slotCount()];
    for (int slot = 0; slot < strings.length; slot++) {
      strings[slot] =
          values.isPresent(slot) || values.equalsText(slot, "-") ? values.string(slot) : null;
    }
    return strings;
  }

  @Test
  void jsonFormatsAreRecognisedAndOthersAreNot() {
    assertThat(CompiledTemplate.compile(NamedFormats.SEED_JSON).isJson()).isTrue();
    assertThat(CompiledTemplate.compile(NamedFormats.AWS_JSON).isJson()).isTrue();
    assertThat(CompiledTemplate.compile(NamedFormats.AWS_CLF).isJson()).isFalse();
    assertThat(CompiledTemplate.compile(NamedFormats.AWS_XML).isJson()).isFalse();
    assertThat(CompiledTemplate.compile(NamedFormats.AWS_CSV).isJson()).isFalse();
  }

  @Test
  void unquotedJsonValuesMayBeNumbersStringsOrDash() {
    CompiledTemplate template =
        CompiledTemplate.compile(
            "{\"s\":$context.status, \"l\": $context.responseLength, \"e\":$context.error.messageString}");
    String[] values = parse(template, "{\"s\":200,\"l\":-,\"e\":\"Missing, \\\"token\\\"\"}", true);
    assertThat(values).containsExactly("200", "-", "Missing, \"token\"");
  }

  @Test
  void severalVariablesInOneJsonStringAreSplitOnTheirSeparators() {
    CompiledTemplate template =
        CompiledTemplate.compile(
            "{\"request\":\"$context.httpMethod $context.path\",\"id\":\"$context.requestId\"}");
    assertThat(parse(template, "{\"request\":\"GET /a/b\",\"id\":\"r1\"}", true))
        .containsExactly("GET", "/a/b", "r1");
    // The tolerant path handles the same mixed field when keys are reordered.
    assertThat(parse(template, "{\"id\":\"r1\",\"request\":\"GET /a/b\"}", true))
        .containsExactly("GET", "/a/b", "r1");
  }

  @Test
  void nestedJsonObjectsAreMatchedByPath() {
    CompiledTemplate template =
        CompiledTemplate.compile(
            "{\"id\":\"$context.requestId\",\"identity\":{\"ip\":\"$context.identity.sourceIp\"}}");
    assertThat(parse(template, "{\"identity\":{\"ip\":\"10.0.0.1\"},\"id\":\"r1\"}", true))
        .containsExactly("r1", "10.0.0.1");
  }

  @Test
  void brokenJsonDoesNotFit() {
    CompiledTemplate template = CompiledTemplate.compile(NamedFormats.SEED_JSON);
    parse(template, "{\"apiId\": \"a\", \"stage\": \"unterminated", false);
    parse(template, "not json at all", false);
    parse(template, "{\"apiId\":\"a\"} trailing", false);
  }

  @Test
  void clfValuesMayHoldSpacesWhereTheFormatBracketsOrQuotesThem() {
    CompiledTemplate template = CompiledTemplate.compile(NamedFormats.AWS_CLF);
    String[] values =
        parse(
            template,
            "1.2.3.4 - - [24/Nov/2026:08:58:22 +0000]\"GET /p HTTP/1.1\" 200 5 rid ext=\r",
            true);
    assertThat(values[3]).isEqualTo("24/Nov/2026:08:58:22 +0000");
    assertThat(values[values.length - 1]).isEqualTo("ext=");
  }

  @Test
  void csvWithTheWrongFieldCountDoesNotFit() {
    CompiledTemplate template = CompiledTemplate.compile(NamedFormats.AWS_CSV);
    parse(template, "a,b,c", false);
  }

  @Test
  void xmlWithAMissingElementDoesNotFit() {
    CompiledTemplate template = CompiledTemplate.compile(NamedFormats.AWS_XML);
    parse(template, "<request id=\"r1\"> <ip>1.2.3.4</ip> </request>", false);
  }
}
