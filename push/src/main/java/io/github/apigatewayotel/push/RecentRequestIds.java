package io.github.apigatewayotel.push;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ids of the requests this instance answered 200 most recently: Firehose keeps a request's id
 * across its retries, so a retry of a request whose 200 was lost on the way back is answered 200
 * without exporting its records again. Bounded (least recent forgotten first); per instance: a
 * retry that the load balancer sends to another instance is exported again.
 */
final class RecentRequestIds {

  private final Map<String, Boolean> ids;

  RecentRequestIds(int capacity) {
    this.ids =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > capacity;
          }
        };
  }

  synchronized boolean contains(String requestId) {
    return requestId != null && ids.get(requestId) != null;
  }

  synchronized void add(String requestId) {
    if (requestId != null && !requestId.isEmpty()) {
      ids.put(requestId, Boolean.TRUE);
    }
  }
}
