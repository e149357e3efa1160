package io.github.apigatewayotel.logs.internal;

import java.util.Set;

/**
 * What text a variable's value can be. In a non-JSON format the literal after a value (a space, a
 * comma) may also occur inside it (a route key {@code GET /pets}, a user agent {@code (KHTML, like
 * Gecko)}); shapes let {@link SegmentSearch} tell a real separator from text inside a value, and
 * reject a split that puts a request id where a status belongs.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
enum ValueShape {
  /** Any text: user agents, error messages, route keys, paths, variables not known here. */
  FREE_TEXT(Chars.ANY, true),
  /** Ids, addresses, names, methods: no whitespace and none of the usual field delimiters. */
  TOKEN(Chars.token(), true),
  /** Digits with at most one fraction (epochs in seconds), or {@code -}. */
  NUMBER(Chars.of(Chars.DIGITS + ".-"), false),
  /** {@code HTTP/1.1}: starts with a letter; or {@code -}. */
  PROTOCOL(Chars.of(Chars.LETTERS + Chars.DIGITS + "/.-_"), false),
  /** {@code $context.requestTime}: {@code 24/Nov/2026:08:58:22 +0100}, or {@code -}. */
  CLF_TIME(Chars.of(Chars.LETTERS + Chars.DIGITS + "/:+- "), false);

  /** API Gateway's "no value", allowed in every shape. */
  private static final String ABSENT = "-";

  /**
   * Variables without a role of their own whose values are ids or names, never text: without this,
   * they would be free text and could swallow a following field.
   */
  private static final Set<String> TOKEN_VARIABLES =
      Set.of(
          "context.connectionId",
          "context.eventType",
          "context.messageId",
          "context.messageDirection",
          "context.deploymentId",
          "context.resourceId",
          "context.domainPrefix",
          "context.identity.accountId",
          "context.identity.apiKey",
          "context.identity.apiKeyId",
          "context.identity.cognitoIdentityId",
          "context.identity.cognitoIdentityPoolId",
          "context.identity.vpcId",
          "context.identity.vpceId",
          "context.identity.clientCert.serialNumber",
          "context.integration.requestId",
          "context.error.responseType",
          "context.wafResponseCode",
          "context.webaclArn");

  /** Which ASCII chars a value may hold, by char; null for any char at all. */
  private final boolean[] asciiAllowed;

  /** Whether non-ASCII chars other than whitespace are allowed. */
  private final boolean nonAsciiAllowed;

  ValueShape(boolean[] asciiAllowed, boolean nonAsciiAllowed) {
    this.asciiAllowed = asciiAllowed;
    this.nonAsciiAllowed = nonAsciiAllowed;
  }

  /** The shape of {@code variable} (named without {@code $}). */
  static ValueShape of(String variable) {
    return switch (VariableRole.of(variable, false)) {
      case CLIENT_ADDRESS,
          HTTP_METHOD,
          REQUEST_ID,
          AWS_EXTENDED_REQUEST_ID,
          APIGATEWAY_EXTENDED_REQUEST_ID,
          DOMAIN_NAME,
          API_ID,
          STAGE,
          ACCOUNT_ID,
          XRAY_TRACE_ID ->
          TOKEN;
      case PROTOCOL -> PROTOCOL;
      case STATUS, RESPONSE_LENGTH, REQUEST_TIME_EPOCH, GENERIC_NUMBER -> NUMBER;
      case REQUEST_TIME -> CLF_TIME;
      case ROUTE_KEY, RESOURCE_PATH, URL_PATH, USER_AGENT, GENERIC_TYPED_BY_TEXT -> FREE_TEXT;
      case GENERIC_STRING -> TOKEN_VARIABLES.contains(variable) ? TOKEN : FREE_TEXT;
    };
  }

  /** Whether any text at all fits, so there is nothing to check. */
  boolean holdsAnything() {
    return asciiAllowed == null;
  }

  /** Whether a value may contain {@code literal}, so it may run past an occurrence of it. */
  boolean mayHold(String literal) {
    return firstDisallowed(literal, 0, literal.length()) < 0;
  }

  /** Whether {@code text[start, end)} has this shape. */
  boolean accepts(String text, int start, int end) {
    if (asciiAllowed == null) {
      return true;
    }
    // A CLF time's layout check covers its chars too, and costs less than scanning them.
    return (this == CLF_TIME || firstDisallowed(text, start, end) < 0) && fits(text, start, end);
  }

  /**
   * The index of the first char in {@code text[from, to)} no value of this shape holds, or -1. Such
   * a char rules out every longer value too, which is what bounds the search.
   */
  int firstDisallowed(String text, int from, int to) {
    boolean[] allowed = asciiAllowed;
    if (allowed == null) {
      return -1;
    }
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      // One test per char on the common path: this loop runs over most of every line.
      if ((c >= Chars.ASCII || !allowed[c]) && !allowsNonAscii(c)) {
        return i;
      }
    }
    return -1;
  }

  /** Whether a value whose chars are all allowed has this shape as a whole. */
  boolean fits(String text, int start, int end) {
    if (this == FREE_TEXT || this == TOKEN || isAbsent(text, start, end)) {
      return true;
    }
    if (this == NUMBER) {
      return isDecimal(text, start, end);
    }
    if (this == PROTOCOL) {
      return end > start && isAsciiLetter(text.charAt(start));
    }
    return hasClfLayout(text, start, end);
  }

  private boolean allowsNonAscii(char c) {
    return c >= Chars.ASCII
        && nonAsciiAllowed
        && !Character.isWhitespace(c)
        && !Character.isSpaceChar(c);
  }

  private static boolean isAbsent(String text, int start, int end) {
    return end - start == ABSENT.length() && text.startsWith(ABSENT, start);
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isDecimal(String text, int start, int end) {
    int dot = -1;
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      if (c == '.' && dot < 0) {
        dot = i;
      } else if (c < '0' || c > '9') {
        return false;
      }
    }
    return end > start && dot != start && dot != end - 1;
  }

  /** {@code dd/MMM/yyyy:HH:mm:ss +hhmm}, char by char: d a digit, M a letter, + a sign. */
  private static boolean hasClfLayout(String text, int start, int end) {
    if (end - start != Chars.CLF_LAYOUT.length()) {
      return false;
    }
    for (int i = 0; i < Chars.CLF_LAYOUT.length(); i++) {
      char expected = Chars.CLF_LAYOUT.charAt(i);
      char c = text.charAt(start + i);
      boolean ok =
          switch (expected) {
            case 'd' -> c >= '0' && c <= '9';
            case 'M' -> isAsciiLetter(c);
            case '+' -> c == '+' || c == '-';
            default -> c == expected;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Char tables, built before the constants that use them. */
  private static final class Chars {
    static final int ASCII = 128;
    static final String DIGITS = "0123456789";
    static final String LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /** How API Gateway writes {@code $context.requestTime}. */
    static final String CLF_LAYOUT = "dd/MMM/dddd:dd:dd:dd +dddd";

    /**
     * Chars formats put around or between fields; an id never holds them (X-Ray ids hold {@code ;}
     * and {@code =}, IPv6 addresses {@code :}, so those are not here).
     */
    static final String DELIMITERS = ",\"'`<>[](){}|";

    /** Any char: no table. */
    static final boolean[] ANY = null;

    static boolean[] of(String chars) {
      boolean[] allowed = new boolean[ASCII];
      for (int i = 0; i < chars.length(); i++) {
        allowed[chars.charAt(i)] = true;
      }
      return allowed;
    }

    /** Printable ASCII but space, DEL and the delimiters. */
    static boolean[] token() {
      boolean[] allowed = new boolean[ASCII];
      for (char c = '!'; c < ASCII - 1; c++) {
        allowed[c] = DELIMITERS.indexOf(c) < 0;
      }
      return allowed;
    }
  }
}
