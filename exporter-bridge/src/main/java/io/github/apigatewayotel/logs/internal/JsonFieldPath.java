package io.github.apigatewayotel.logs.internal;

/**
 * Builds the lookup key of a JSON field from its ancestors' names, e.g. {@code identity/ip}.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
final class JsonFieldPath {

  private static final char SEPARATOR = '\u0000';

  private JsonFieldPath() {}

  static String child(String parent, String name) {
    return parent.isEmpty() ? name : parent + SEPARATOR + name;
  }
}
