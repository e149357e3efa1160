package io.github.apigatewayotel.logs.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a format string as typed into API Gateway's "Log format" box into literal and variable
 * tokens. AWS documents only the bare {@code $context.name} form for access logs (no {@code ${...}}
 * braces, which belong to mapping templates), so only that form is a variable.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class TemplateTokenizer {

  private static final String VARIABLE_PREFIX = "$context.";

  private TemplateTokenizer() {}

  /**
   * Tokenizes {@code template}; adjacent literals are merged, so tokens alternate where possible.
   */
  public static List<TemplateToken> tokenize(String template) {
    List<TemplateToken> tokens = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    int length = template.length();
    while (i < length) {
      if (template.startsWith(VARIABLE_PREFIX, i)) {
        int nameStart = i + 1;
        int end = i + VARIABLE_PREFIX.length();
        while (end < length && isNameChar(template.charAt(end))) {
          end++;
        }
        // A sentence-ending or separating dot after the name is not part of it.
        while (end > i + VARIABLE_PREFIX.length() && template.charAt(end - 1) == '.') {
          end--;
        }
        if (end > i + VARIABLE_PREFIX.length()) {
          if (literal.length() > 0) {
            tokens.add(TemplateToken.literal(literal.toString()));
            literal.setLength(0);
          }
          tokens.add(TemplateToken.variable(template.substring(nameStart, end)));
          i = end;
          continue;
        }
      }
      literal.append(template.charAt(i));
      i++;
    }
    if (literal.length() > 0) {
      tokens.add(TemplateToken.literal(literal.toString()));
    }
    return tokens;
  }

  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '_'
        || c == '.';
  }
}
