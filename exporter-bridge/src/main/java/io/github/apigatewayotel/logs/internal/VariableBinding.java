package io.github.apigatewayotel.logs.internal;

import io.opentelemetry.api.common.AttributeKey;

/**
 * A variable's role and, for variables without a semantic-convention home, its attribute keys
 * (created once at compile time, never per line).
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public record VariableBinding(
    String variable,
    VariableRole role,
    AttributeKey<String> stringKey,
    AttributeKey<Long> longKey,
    AttributeKey<Double> doubleKey,
    AttributeKey<Boolean> booleanKey) {

  /** Prefix of attributes for variables without a semantic-convention attribute. */
  public static final String GENERIC_ATTRIBUTE_PREFIX = "aws.apigateway.context.";

  static VariableBinding of(String variable, boolean writtenUnquoted) {
    VariableRole role = VariableRole.of(variable, writtenUnquoted);
    String key = GENERIC_ATTRIBUTE_PREFIX + variable.substring("context.".length());
    return new VariableBinding(
        variable,
        role,
        AttributeKey.stringKey(key),
        AttributeKey.longKey(key),
        AttributeKey.doubleKey(key),
        AttributeKey.booleanKey(key));
  }
}
