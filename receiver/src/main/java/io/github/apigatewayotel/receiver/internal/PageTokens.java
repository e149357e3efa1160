package io.github.apigatewayotel.receiver.internal;

import java.util.HashSet;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The pagination tokens of one paginated listing. A token seen before (an endpoint answering the
 * same page again) would loop for ever: it fails the listing like an unreadable answer, so the
 * caller's usual handling (retry next poll, log once) applies and the loop stays bounded.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
final class PageTokens {

  private final String operation;
  private final Set<String> seen = new HashSet<>();

  PageTokens(String operation) {
    this.operation = operation;
  }

  /** The token of the next page, or null when the listing is complete (null or empty token). */
  String next(String token) {
    if (token == null || token.isEmpty()) {
      return null;
    }
    if (!seen.add(token)) {
      throw SdkClientException.create(
          operation + " answered a pagination token it had already given; stopping the listing");
    }
    return token;
  }
}
