package io.github.apigatewayotel.testing.aws;

/**
 * What one route of one stage served during one minute: the numbers CloudWatch's route-level series
 * report and the access log lists line by line. Requests are spread evenly over the minute's
 * seconds (shifted by {@code phase} sixtieths of a request, so routes do not all serve their
 * requests in the same seconds); which request fails is decided by its index, so a log generator
 * walking the indices writes exactly {@link #clientErrors} 4xx and {@link #serverErrors} 5xx lines.
 *
 * @param requests requests (WebSocket: messages, or connections for {@code $connect})
 * @param burst the error burst hitting the stage this minute
 * @param burstFailures requests failing because of the burst, all in the burst's seconds
 * @param clientErrors 4xx responses, burst failures included when the burst is of client errors
 * @param serverErrors 5xx responses, burst failures included when the burst is of server errors
 * @param executionErrors WebSocket: the part of {@code serverErrors} failing while calling the
 *     integration (the rest the integration returned)
 * @param cacheHits REST: requests served from the stage cache; {@code cacheMisses} the others
 * @param bytesProcessed HTTP: request and response bytes
 */
public record RouteMinute(
    long minuteStartEpochSecond,
    int requests,
    TrafficShape.Burst burst,
    int burstFailures,
    int clientErrors,
    int serverErrors,
    int executionErrors,
    int cacheHits,
    int cacheMisses,
    long bytesProcessed,
    LatencyProfile latency,
    LatencyProfile integrationLatency,
    int rotation,
    int phase) {

  public RouteMinute {
    if (requests < 0 || phase < 0 || phase >= 60) {
      throw new IllegalArgumentException(
          "need requests >= 0 and phase in [0, 60): " + requests + ", " + phase);
    }
  }

  /** How a request ended. */
  public enum Outcome {
    OK,
    CLIENT_ERROR,
    SERVER_ERROR
  }

  /** Requests served during second {@code secondOfMinute} (0..59). */
  public int requestsInSecond(int secondOfMinute) {
    return firstIndexOfSecond(secondOfMinute + 1) - firstIndexOfSecond(secondOfMinute);
  }

  /** The index of the first request served at or after {@code secondOfMinute} (0..60). */
  public int firstIndexOfSecond(int secondOfMinute) {
    return firstIndexOfSecond(secondOfMinute, requests, phase);
  }

  static int firstIndexOfSecond(int secondOfMinute, int requests, int phase) {
    return (int) (((long) secondOfMinute * requests + phase) / 60);
  }

  /** The second of the minute request {@code index} was served in. */
  public int secondOf(int index) {
    checkIndex(index);
    // the largest s with firstIndexOfSecond(s) <= index
    int s = (int) Math.min(59, ((long) index * 60) / requests);
    while (s > 0 && firstIndexOfSecond(s) > index) {
      s--;
    }
    while (s < 59 && firstIndexOfSecond(s + 1) <= index) {
      s++;
    }
    return s;
  }

  /** How request {@code index} ended: the burst fails its share evenly over the burst's seconds. */
  public Outcome outcome(int index) {
    checkIndex(index);
    int burstFirst = firstIndexOfSecond(TrafficShape.BURST_FIRST_SECOND);
    int burstEnd = firstIndexOfSecond(TrafficShape.BURST_LAST_SECOND + 1);
    int burstRequests = burstEnd - burstFirst;
    if (index >= burstFirst && index < burstEnd && burstFailures > 0) {
      int k = index - burstFirst;
      if (failsInBurst(k, burstRequests)) {
        return burst == TrafficShape.Burst.CLIENT_ERRORS
            ? Outcome.CLIENT_ERROR
            : Outcome.SERVER_ERROR;
      }
    }
    // Rank among the requests the burst spared; baseline errors are consecutive from a rotation.
    int failedBefore = 0;
    if (burstFailures > 0 && index >= burstFirst) {
      failedBefore = burstFailuresBefore(Math.min(index, burstEnd) - burstFirst, burstRequests);
    }
    int spared = requests - burstFailures;
    int rank = Math.floorMod(index - failedBefore + rotation, spared);
    int baselineServer =
        serverErrors - (burst == TrafficShape.Burst.SERVER_ERRORS ? burstFailures : 0);
    int baselineClient =
        clientErrors - (burst == TrafficShape.Burst.CLIENT_ERRORS ? burstFailures : 0);
    if (rank < baselineServer) {
      return Outcome.SERVER_ERROR;
    }
    return rank < baselineServer + baselineClient ? Outcome.CLIENT_ERROR : Outcome.OK;
  }

  private boolean failsInBurst(int k, int burstRequests) {
    return burstFailuresBefore(k + 1, burstRequests) > burstFailuresBefore(k, burstRequests);
  }

  /** Burst failures among the first {@code k} requests of the burst. */
  private int burstFailuresBefore(int k, int burstRequests) {
    return (int) ((long) k * burstFailures / burstRequests);
  }

  private void checkIndex(int index) {
    if (index < 0 || index >= requests) {
      throw new IndexOutOfBoundsException("request " + index + " of " + requests);
    }
  }
}
