package io.github.apigatewayotel.logs.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles a JSON access-log format into its two parsers: the {@link JsonFastPathParser} and the
 * {@link JsonTreeParser} fallback. A format is JSON when, with each variable replaced by a string
 * placeholder, it parses as one JSON object.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
final class JsonTemplateCompiler {

  private static final JsonFactory JSON_FACTORY = new JsonFactory();
  private static final char PLACEHOLDER_START = '\uE000';
  private static final char PLACEHOLDER_END = '\uE001';

  private JsonTemplateCompiler() {}

  /**
   * The parsers of a JSON format, tried in this order: the fast path, the tree fallback (valid JSON
   * that differs from the format in key order or spacing), and the last resort (the format's shape,
   * but values holding unescaped quotes, as API Gateway writes them).
   */
  record JsonParsers(
      LineParser fastPath,
      LineParser fallback,
      LineParser lastResort,
      java.util.Set<Integer> unquotedSlots) {}

  /** Returns the parsers, or null when the format is not JSON. */
  static JsonParsers compile(
      List<TemplateToken> tokens, LiteralSegmentParser.SlotResolver slotOf, List<String> names) {
    if (tokens.isEmpty()
        || tokens.get(0).isVariable()
        || !tokens.get(0).text().strip().startsWith("{")) {
      return null;
    }
    for (TemplateToken token : tokens) {
      // The placeholders are private-use characters: a format that holds them itself (found by
      // fuzzing) would be misread, so it gets the generic parser instead.
      if (!token.isVariable()
          && (token.text().indexOf(PLACEHOLDER_START) >= 0
              || token.text().indexOf(PLACEHOLDER_END) >= 0)) {
        return null;
      }
    }
    StringBuilder substituted = new StringBuilder();
    List<JsonFastPathParser.Literal> literals = new ArrayList<>();
    List<Integer> slots = new ArrayList<>();
    List<JsonFastPathParser.Placement> placements = new ArrayList<>();
    List<String> stopTexts = new ArrayList<>();
    boolean insideString = false;
    boolean escaped = false;
    StringBuilder literalChars = new StringBuilder();
    List<Boolean> literalFlags = new ArrayList<>();
    for (TemplateToken token : tokens) {
      if (!token.isVariable()) {
        for (int i = 0; i < token.text().length(); i++) {
          char c = token.text().charAt(i);
          literalChars.append(c);
          literalFlags.add(insideString);
          substituted.append(c);
          if (insideString) {
            if (escaped) {
              escaped = false;
            } else if (c == '\\') {
              escaped = true;
            } else if (c == '"') {
              insideString = false;
            }
          } else if (c == '"') {
            insideString = true;
          }
        }
        continue;
      }
      if (!slots.isEmpty() && literalChars.length() == 0) {
        // Two variables with no text between them: only the tree parser could try.
        return null;
      }
      literals.add(literal(literalChars, literalFlags));
      int slot = slotOf.slot(token.text());
      slots.add(slot);
      placements.add(insideString ? null : JsonFastPathParser.Placement.UNQUOTED);
      stopTexts.add(null);
      String placeholder = PLACEHOLDER_START + Integer.toString(slot) + PLACEHOLDER_END;
      substituted.append(insideString ? placeholder : '"' + placeholder + '"');
    }
    literals.add(literal(literalChars, literalFlags));
    // Now that every following literal is known, decide how each quoted value ends.
    for (int i = 0; i < slots.size(); i++) {
      if (placements.get(i) != null) {
        continue;
      }
      JsonFastPathParser.Literal next = literals.get(i + 1);
      StringBuilder stop = new StringBuilder();
      for (int j = 0; j < next.chars().length && next.insideString()[j]; j++) {
        if (next.chars()[j] == '"') {
          break;
        }
        stop.append(next.chars()[j]);
      }
      if (stop.length() == 0) {
        placements.set(i, JsonFastPathParser.Placement.WHOLE_STRING);
      } else {
        placements.set(i, JsonFastPathParser.Placement.PART_OF_STRING);
        stopTexts.set(i, stop.toString());
      }
    }
    Map<String, String> stringFields = readStringFields(substituted.toString());
    if (stringFields == null) {
      return null;
    }
    Map<String, Integer> slotByPath = new HashMap<>();
    Map<String, LineParser> mixedByPath = new HashMap<>();
    for (Map.Entry<String, String> field : stringFields.entrySet()) {
      List<TemplateToken> fieldTokens = placeholderTokens(field.getValue(), names);
      long variableCount = fieldTokens.stream().filter(TemplateToken::isVariable).count();
      if (variableCount == 0) {
        continue;
      }
      if (fieldTokens.size() == 1) {
        slotByPath.put(field.getKey(), slotOf.slot(fieldTokens.get(0).text()));
      } else {
        mixedByPath.put(field.getKey(), LiteralSegmentParser.compile(fieldTokens, slotOf));
      }
    }
    int[] slotArray = slots.stream().mapToInt(Integer::intValue).toArray();
    JsonFastPathParser fastPath =
        new JsonFastPathParser(
            literals.get(0),
            slotArray,
            placements.toArray(new JsonFastPathParser.Placement[0]),
            stopTexts.toArray(new String[0]),
            literals.subList(1, literals.size()).toArray(new JsonFastPathParser.Literal[0]));
    java.util.Set<Integer> unquoted = new java.util.HashSet<>();
    for (int i = 0; i < slotArray.length; i++) {
      if (placements.get(i) == JsonFastPathParser.Placement.UNQUOTED) {
        unquoted.add(slotArray[i]);
      }
    }
    return new JsonParsers(
        fastPath,
        new JsonTreeParser(slotByPath, mixedByPath),
        fastPath.tolerantOfRawQuotes(),
        unquoted);
  }

  private static JsonFastPathParser.Literal literal(StringBuilder chars, List<Boolean> flags) {
    boolean[] insideString = new boolean[flags.size()];
    for (int i = 0; i < insideString.length; i++) {
      insideString[i] = flags.get(i);
    }
    JsonFastPathParser.Literal literal =
        new JsonFastPathParser.Literal(chars.toString().toCharArray(), insideString);
    chars.setLength(0);
    flags.clear();
    return literal;
  }

  /** Every string value of the substituted format by field path, or null if it is not JSON. */
  private static Map<String, String> readStringFields(String json) {
    Map<String, String> fields = new HashMap<>();
    try (JsonParser parser = JSON_FACTORY.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      Deque<String> parents = new ArrayDeque<>();
      String current = "";
      String fieldName = null;
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        switch (token) {
          case FIELD_NAME -> fieldName = parser.currentName();
          case START_OBJECT -> {
            parents.push(current);
            current = JsonFieldPath.child(current, fieldName);
          }
          case END_OBJECT -> {
            if (parents.isEmpty()) {
              return parser.nextToken() == null ? fields : null;
            }
            current = parents.pop();
          }
          case START_ARRAY -> parser.skipChildren();
          case VALUE_STRING ->
              fields.put(JsonFieldPath.child(current, fieldName), parser.getText());
          default -> {}
        }
      }
      return null;
    } catch (IOException e) {
      return null;
    }
  }

  /** Turns a field value holding placeholders back into literal and variable tokens. */
  private static List<TemplateToken> placeholderTokens(String value, List<String> names) {
    List<TemplateToken> tokens = new ArrayList<>();
    int i = 0;
    while (i < value.length()) {
      int start = value.indexOf(PLACEHOLDER_START, i);
      if (start < 0) {
        tokens.add(TemplateToken.literal(value.substring(i)));
        break;
      }
      if (start > i) {
        tokens.add(TemplateToken.literal(value.substring(i, start)));
      }
      int end = value.indexOf(PLACEHOLDER_END, start);
      int slot = Integer.parseInt(value.substring(start + 1, end));
      tokens.add(TemplateToken.variable(names.get(slot)));
      i = end + 1;
    }
    return tokens;
  }
}
