package io.github.apigatewayotel.logs.internal;

/** Builds the lookup key of a JSON field from its ancestors' names, e.g. {@code identity/ip}. */
final class JsonFieldPath {

  private static final char SEPARATOR = '\u0000';

  private JsonFieldPath() {}

  static String child(String parent, String name) {
    return parent.isEmpty() ? name : parent + SEPARATOR + name;
  }
}
