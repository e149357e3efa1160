package io.github.apigatewayotel.logs.internal;

/**
 * One piece of an access-log format string: either literal text, or a {@code $context} variable
 * (named without the leading {@code $}, e.g. {@code context.identity.sourceIp}).
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public record TemplateToken(boolean isVariable, String text) {

  static TemplateToken literal(String text) {
    return new TemplateToken(false, text);
  }

  static TemplateToken variable(String name) {
    return new TemplateToken(true, name);
  }
}
