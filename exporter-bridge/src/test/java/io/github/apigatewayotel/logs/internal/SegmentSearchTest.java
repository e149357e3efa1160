package io.github.apigatewayotel.logs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The work the literal-segment search does, counted rather than timed. */
class SegmentSearchTest {

  private static LiteralSegmentParser compile(String format) {
    Map<String, Integer> slots = new LinkedHashMap<>();
    for (TemplateToken token : TemplateTokenizer.tokenize(format)) {
      if (token.isVariable()) {
        slots.putIfAbsent(token.text(), slots.size());
      }
    }
    return LiteralSegmentParser.compile(TemplateTokenizer.tokenize(format), slots::get);
  }

  @Test
  void aHostileLineIsGivenUpAfterWorkLinearInItsLength() {
    LiteralSegmentParser parser = compile("$context.a $context.b $context.c $context.status");
    // Every split of three free-text values fits until the status, which never does: without a
    // bound this is cubic in the number of spaces.
    String hostile = "x ".repeat(LineLimits.MAX_LINE_CHARS / 2 - 1) + "x";
    SegmentSearch search = parser.search(hostile);

    assertThat(search.run(new int[] {0, 1, 2, 3}, new LineValues(4))).isFalse();
    assertThat(search.budget())
        .isEqualTo((long) SegmentSearch.WORK_PER_CHAR * hostile.length() + SegmentSearch.BASE_WORK);
    // One step past the budget may scan at most the rest of the line.
    assertThat(search.work()).isGreaterThan(search.budget());
    assertThat(search.work()).isLessThanOrEqualTo(search.budget() + hostile.length());
  }

  @Test
  void aWellFormedLineNeedingOneBacktrackCostsAboutOnePass() {
    LiteralSegmentParser parser =
        compile(
            "$context.requestId \"$context.httpMethod $context.routeKey $context.protocol\""
                + " $context.status");
    String line = "r-1 \"GET GET /pets/{id} HTTP/1.1\" 200";
    SegmentSearch search = parser.search(line);
    LineValues values = new LineValues(5);

    assertThat(search.run(new int[] {0, 1, 2, 3, 4}, values)).isTrue();
    assertThat(values.string(2)).isEqualTo("GET /pets/{id}");
    assertThat(values.string(3)).isEqualTo("HTTP/1.1");
    assertThat(search.work()).isLessThan(4L * line.length());
  }

  @Test
  void theFastPathAndTheSearchAgreeOnWhereValuesEnd() {
    LiteralSegmentParser parser = compile(NamedFormats.AWS_CSV);
    String line = "203.0.113.7,-,-,24/Nov/2025:08:58:22 +0000,GET,/a,b/{c},HTTP/1.1,200,5,rid,ext=";
    LineValues fast = new LineValues(11);
    LineValues searched = new LineValues(11);
    fast.reset(line);
    searched.reset(line);
    int[] slots = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

    assertThat(parser.parse(line, fast)).isTrue();
    assertThat(parser.search(line).run(slots, searched)).isTrue();
    for (int slot = 0; slot < 11; slot++) {
      assertThat(fast.string(slot)).as("slot " + slot).isEqualTo(searched.string(slot));
    }
    assertThat(fast.string(5)).isEqualTo("/a,b/{c}");
  }

  @Test
  void shapesAcceptWhatApiGatewayWritesAndRejectShiftedValues() {
    assertThat(accepts(ValueShape.NUMBER, "200", "-", "1764000000.123")).isTrue();
    assertThat(accepts(ValueShape.NUMBER, "")).isFalse();
    assertThat(accepts(ValueShape.NUMBER, "2xx")).isFalse();
    assertThat(accepts(ValueShape.NUMBER, "1.")).isFalse();
    assertThat(accepts(ValueShape.PROTOCOL, "HTTP/1.1", "HTTP/2.0", "-")).isTrue();
    assertThat(accepts(ValueShape.PROTOCOL, "404")).isFalse();
    assertThat(accepts(ValueShape.CLF_TIME, "24/Nov/2025:08:58:22 +0000", "-")).isTrue();
    assertThat(accepts(ValueShape.CLF_TIME, "GET")).isFalse();
    assertThat(accepts(ValueShape.TOKEN, "2001:db8::1", "Root=1-5759e988-bd86;Parent=53;Sampled=1"))
        .isTrue();
    assertThat(accepts(ValueShape.TOKEN, "Xyz=,extra")).isFalse();
    assertThat(accepts(ValueShape.TOKEN, "/pets HTTP/1.1")).isFalse();
    assertThat(accepts(ValueShape.FREE_TEXT, "", "a, \"b\" <c>")).isTrue();
    assertThat(ValueShape.of("context.routeKey")).isEqualTo(ValueShape.FREE_TEXT);
    assertThat(ValueShape.of("context.connectionId")).isEqualTo(ValueShape.TOKEN);
    assertThat(ValueShape.of("context.disconnectStatusCode")).isEqualTo(ValueShape.NUMBER);
    assertThat(ValueShape.of("context.error.message")).isEqualTo(ValueShape.FREE_TEXT);
  }

  private static boolean accepts(ValueShape shape, String... values) {
    for (String value : values) {
      if (!shape.accepts(value, 0, value.length())) {
        return false;
      }
    }
    return true;
  }
}
