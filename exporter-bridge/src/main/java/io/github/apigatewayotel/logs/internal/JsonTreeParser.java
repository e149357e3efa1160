package io.github.apigatewayotel.logs.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * The tolerant JSON path: reads the line with Jackson's streaming parser and picks values by field
 * path, so key order, escaping and spacing may differ from the format. Slower than {@link
 * JsonFastPathParser}, used only when that one does not fit.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
final class JsonTreeParser implements LineParser {

  private static final JsonFactory JSON_FACTORY = new JsonFactory();

  private final Map<String, Integer> slotByPath;
  private final Map<String, LineParser> mixedFieldByPath;

  JsonTreeParser(Map<String, Integer> slotByPath, Map<String, LineParser> mixedFieldByPath) {
    this.slotByPath = Map.copyOf(slotByPath);
    this.mixedFieldByPath = Map.copyOf(mixedFieldByPath);
  }

  @Override
  public boolean parse(String line, LineValues values) {
    try (JsonParser parser = JSON_FACTORY.createParser(line)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      Deque<String> parents = new ArrayDeque<>();
      String current = "";
      String fieldName = null;
      boolean matchedAll = true;
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        switch (token) {
          case FIELD_NAME -> fieldName = parser.currentName();
          case START_OBJECT -> {
            parents.push(current);
            current = fieldName == null ? current : JsonFieldPath.child(current, fieldName);
          }
          case END_OBJECT -> {
            if (parents.isEmpty()) {
              return matchedAll && parser.nextToken() == null;
            }
            current = parents.pop();
          }
          case START_ARRAY -> parser.skipChildren();
          case VALUE_NULL -> fieldName = null;
          default -> {
            if (fieldName != null) {
              matchedAll &=
                  assign(JsonFieldPath.child(current, fieldName), parser.getText(), values);
            }
          }
        }
      }
      return false;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private boolean assign(String path, String text, LineValues values) {
    Integer slot = slotByPath.get(path);
    if (slot != null) {
      values.setDecoded(slot, text);
      return true;
    }
    LineParser mixed = mixedFieldByPath.get(path);
    return mixed == null || mixed.parse(text, values);
  }
}
