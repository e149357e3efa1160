package io.github.apigatewayotel.receiver.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A small pull scanner over one XML document held in bytes (UTF-8), for the few AWS answers the
 * receiver reads at volume: start and end tags with their local names, the raw content range of
 * leaf elements, entity and CDATA decoding on demand. It checks what a truncated or garbled answer
 * breaks (tag nesting, one root, end of input inside the document) and refuses DTDs, so no entity
 * is ever expanded beyond the five predefined ones and character references.
 */
final class XmlScanner {

  static final int END_OF_DOCUMENT = 0;
  static final int START = 1;
  static final int END = 2;
  /** GetMetricData answers nest 7 deep; anything far deeper is not one. */
  static final int MAX_DEPTH = 32;

  /** The document is not well-formed XML (or uses what this scanner refuses, such as a DTD). */
  static final class MalformedXmlException extends RuntimeException {
    MalformedXmlException(String message) {
      super(message);
    }
  }

  /** Bytes that end a tag name: '>', '/', whitespace. */
  private static final boolean[] ENDS_NAME = new boolean[256];

  /** {@link #ENDS_NAME} and ':' (a namespace prefix ends). */
  private static final boolean[] NAME_STOP = new boolean[256];

  static {
    for (char c : new char[] {'>', '/', ' ', '\t', '\n', '\r'}) {
      ENDS_NAME[c] = true;
      NAME_STOP[c] = true;
    }
    NAME_STOP[':'] = true;
  }

  private final byte[] b;
  private final int limit;
  private int pos;
  private final int[] openNameStart = new int[MAX_DEPTH];
  private final int[] openNameEnd = new int[MAX_DEPTH];
  private final int[] openLocalStart = new int[MAX_DEPTH];
  private int depth;
  private boolean pendingEnd;
  private boolean rootSeen;
  private int lastEvent = END_OF_DOCUMENT;
  private int nameStart;
  private int localStart;
  private int nameEnd;
  private int leafContentStart;
  private int contentStart = -1;
  private int contentEnd = -1;
  /** No entity, CDATA, comment or instruction since the last start tag: leaf content is plain bytes. */
  private boolean plainSinceStart = true;

  XmlScanner(byte[] bytes, int length) {
    this.b = bytes;
    this.limit = length;
    if (length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF) {
      pos = 3; // UTF-8 byte order mark
    }
  }

  /** Elements open after the current event (1 inside the root). */
  int depth() {
    return depth;
  }

  /** Advances to the next start or end tag (a self-closing tag gives both) or the end of the document. */
  int next() {
    if (pendingEnd) {
      pendingEnd = false;
      contentStart = leafContentStart;
      contentEnd = leafContentStart;
      depth--;
      return lastEvent = END;
    }
    while (true) {
      int lt = markupOrEnd(pos);
      if (depth == 0) {
        requireWhitespace(pos, lt < 0 ? limit : lt);
      }
      if (lt < 0) {
        if (depth > 0 || !rootSeen) {
          throw new MalformedXmlException("document ends before its root element is closed");
        }
        pos = limit;
        return END_OF_DOCUMENT;
      }
      pos = lt + 1;
      byte c = at(pos);
      if (c == '?') {
        plainSinceStart = false;
        pos = skipPast("?>", pos);
      } else if (c == '!') {
        plainSinceStart = false;
        if (startsWith("!--", pos)) {
          pos = skipPast("-->", pos + 3);
        } else if (startsWith("![CDATA[", pos) && depth > 0) {
          pos = skipPast("]]>", pos + 8);
        } else {
          throw new MalformedXmlException("DTDs and declarations are refused at byte " + lt);
        }
      } else if (c == '/') {
        return endTag(lt);
      } else {
        return startTag();
      }
    }
  }

  private int endTag(int lt) {
    if (depth == 0) {
      throw new MalformedXmlException("end tag without a start tag at byte " + lt);
    }
    // Only the open element's name may close it: compared in place, not read and then compared.
    int open = depth - 1;
    int from = pos + 1;
    int end = from + openNameEnd[open] - openNameStart[open];
    if (end >= limit || !sameBytes(from, end, openNameStart[open], openNameEnd[open]) || !ENDS_NAME[b[end] & 0xFF]) {
      throw new MalformedXmlException("end tag does not match its start tag at byte " + lt);
    }
    nameStart = from;
    localStart = from + openLocalStart[open] - openNameStart[open];
    nameEnd = end;
    pos = skipWhitespace(nameEnd);
    if (at(pos) != '>') {
      throw new MalformedXmlException("unterminated end tag at byte " + lt);
    }
    pos++;
    if (lastEvent == START) {
      contentStart = leafContentStart;
      contentEnd = lt;
    } else {
      contentStart = -1;
      contentEnd = -1;
    }
    depth--;
    return lastEvent = END;
  }

  private int startTag() {
    if (rootSeen && depth == 0) {
      throw new MalformedXmlException("a second root element at byte " + (pos - 1));
    }
    if (depth == MAX_DEPTH) {
      throw new MalformedXmlException("elements nest deeper than " + MAX_DEPTH);
    }
    readName(pos);
    int i = nameEnd;
    byte quote = 0;
    // attributes: skipped, quotes honoured (readName stopped inside the document; most tags have none)
    while (b[i] != '>' || quote != 0) {
      byte c = at(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '<') {
        throw new MalformedXmlException("'<' inside a tag at byte " + i);
      }
      i++;
      at(i);
    }
    rootSeen = true;
    openNameStart[depth] = nameStart;
    openNameEnd[depth] = nameEnd;
    openLocalStart[depth] = localStart;
    depth++;
    pos = i + 1;
    leafContentStart = pos;
    contentStart = -1;
    contentEnd = -1;
    plainSinceStart = true;
    pendingEnd = b[i - 1] == '/' && i - 1 >= nameEnd;
    return lastEvent = START;
  }

  private void readName(int from) {
    byte[] bytes = b;
    int end = limit;
    int i = from;
    int local = from;
    while (i < end) {
      int c = bytes[i] & 0xFF;
      if (NAME_STOP[c]) { // one test for the common case: neither the name's end nor a prefix
        if (c != ':') {
          break;
        }
        local = i + 1;
      }
      i++;
    }
    if (i == from || i >= end) {
      throw new MalformedXmlException("bad or unterminated tag at byte " + (from - 1));
    }
    nameStart = from;
    localStart = local;
    nameEnd = i;
  }

  /** Whether the current tag's local name is {@code name} (ASCII). */
  boolean nameIs(byte[] name) {
    return nameEnd - localStart == name.length && regionEquals(localStart, name);
  }

  String localName() {
    return new String(b, localStart, nameEnd - localStart, StandardCharsets.UTF_8);
  }

  /** After an END: whether the element held only text (no child elements). */
  boolean isLeaf() {
    return contentStart >= 0;
  }

  int contentStart() {
    return contentStart;
  }

  int contentEnd() {
    return contentEnd;
  }

  byte[] bytes() {
    return b;
  }

  /** Whether the leaf content is plain bytes, with no entity, CDATA, comment or instruction to decode. */
  boolean contentIsRaw() {
    return plainSinceStart;
  }

  /** The leaf content as text: entities and character references decoded, CDATA kept, comments dropped. */
  String text() {
    if (contentStart < 0) {
      return null;
    }
    if (contentIsRaw()) {
      return new String(b, contentStart, contentEnd - contentStart, StandardCharsets.UTF_8);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(contentEnd - contentStart);
    int i = contentStart;
    while (i < contentEnd) {
      byte c = b[i];
      if (c == '&') {
        int semi = indexOf((byte) ';', i);
        if (semi < 0 || semi >= contentEnd || semi - i > 12) {
          throw new MalformedXmlException("bad entity reference at byte " + i);
        }
        byte[] utf8 = entity(i + 1, semi).getBytes(StandardCharsets.UTF_8);
        out.write(utf8, 0, utf8.length);
        i = semi + 1;
      } else if (c == '<') {
        if (startsWith("<![CDATA[", i)) {
          int end = skipPast("]]>", i + 9);
          out.write(b, i + 9, end - 3 - (i + 9));
          i = end;
        } else if (startsWith("<!--", i)) {
          i = skipPast("-->", i + 4);
        } else if (startsWith("<?", i)) {
          i = skipPast("?>", i + 2);
        } else {
          throw new MalformedXmlException("markup inside text at byte " + i);
        }
      } else {
        out.write(c);
        i++;
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private String entity(int from, int to) {
    String name = new String(b, from, to - from, StandardCharsets.US_ASCII);
    switch (name) {
      case "lt": return "<";
      case "gt": return ">";
      case "amp": return "&";
      case "quot": return "\"";
      case "apos": return "'";
      default:
        break;
    }
    try {
      int codePoint = name.startsWith("#x") ? Integer.parseInt(name.substring(2), 16)
          : name.startsWith("#") ? Integer.parseInt(name.substring(1)) : -1;
      if (Character.isValidCodePoint(codePoint) && codePoint != 0) {
        return new String(Character.toChars(codePoint));
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new MalformedXmlException("unknown entity &" + name + ";");
  }

  /** The next '<' at or after {@code from} (-1 at the end), checking the entity references on the way. */
  private int markupOrEnd(int from) {
    for (int i = from; i < limit; i++) {
      byte c = b[i];
      if (c == '<') {
        return i;
      }
      if (c == '&') {
        int semi = indexOf((byte) ';', i);
        if (semi < 0 || semi - i > 12) {
          throw new MalformedXmlException("bad entity reference at byte " + i);
        }
        entity(i + 1, semi);
        plainSinceStart = false;
        i = semi;
      }
    }
    return -1;
  }

  private void requireWhitespace(int from, int to) {
    for (int i = from; i < to; i++) {
      byte c = b[i];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        throw new MalformedXmlException("text outside the root element at byte " + i);
      }
    }
  }

  private int skipWhitespace(int i) {
    while (i < limit && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) {
      i++;
    }
    return i;
  }

  private byte at(int i) {
    if (i >= limit) {
      throw new MalformedXmlException("document ends inside a tag");
    }
    return b[i];
  }

  private int indexOf(byte c, int from) {
    for (int i = from; i < limit; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }

  /** The position after the next {@code terminator} at or after {@code from}. */
  private int skipPast(String terminator, int from) {
    int n = terminator.length();
    for (int i = from; i + n <= limit; i++) {
      if (startsWith(terminator, i)) {
        return i + n;
      }
    }
    throw new MalformedXmlException("document ends before '" + terminator + "'");
  }

  private boolean startsWith(String s, int at) {
    if (at + s.length() > limit) {
      return false;
    }
    for (int k = 0; k < s.length(); k++) {
      if (b[at + k] != s.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  private boolean regionEquals(int at, byte[] s) {
    for (int k = 0; k < s.length; k++) {
      if (b[at + k] != s[k]) {
        return false;
      }
    }
    return true;
  }

  private boolean sameBytes(int s1, int e1, int s2, int e2) {
    int n = e1 - s1;
    if (n != e2 - s2) {
      return false;
    }
    for (int k = 0; k < n; k++) {
      if (b[s1 + k] != b[s2 + k]) {
        return false;
      }
    }
    return true;
  }
}
