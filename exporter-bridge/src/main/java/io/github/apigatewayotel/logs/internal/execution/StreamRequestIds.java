package io.github.apigatewayotel.logs.internal.execution;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The request each log stream wrote last, so an event without the {@code (request-id)} prefix (the
 * rest of a message that was split) is attributed to the request before it in its stream: API
 * Gateway writes a request's events in order, to one stream. Bounded to {@link #MAX_STREAMS}
 * streams, least recently written first out. Thread-safe.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class StreamRequestIds {

  /** Streams remembered; API Gateway writes to a few streams per stage. */
  static final int MAX_STREAMS = 1_024;

  private final Map<String, String> lastRequestId =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
          return size() > MAX_STREAMS;
        }
      };

  /** Remembers {@code requestId} as the last of {@code stream} (group and stream name). */
  public synchronized void wrote(String stream, String requestId) {
    lastRequestId.put(stream, requestId);
  }

  /** The request {@code stream} wrote last, or null. */
  public synchronized String last(String stream) {
    return lastRequestId.get(stream);
  }
}
