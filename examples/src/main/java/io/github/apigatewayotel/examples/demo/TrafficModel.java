package io.github.apigatewayotel.examples.demo;

import io.github.apigatewayotel.testing.aws.RouteMinute;
import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import io.github.apigatewayotel.testing.aws.TrafficShape;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The requests the demo's APIs serve each second, as access-log lines see them. The traffic itself
 * (diurnal load, error bursts, slow routes) is the simulated account's {@link TrafficShape}, the
 * same one its CloudWatch metrics derive from: a route's log lines for a minute are exactly that
 * minute's requests, 4xx and 5xx, and latencies are drawn from the minute's latency profile.
 * Deterministic for a seed and a second, so a restart tells the same story.
 */
final class TrafficModel {

  /** The quietest hour carries this share of the peak. */
  static final double DIURNAL_FLOOR = TrafficShape.DIURNAL_FLOOR;

  private static final String[] SOURCE_IPS = {
    "203.0.113.10", "203.0.113.77", "198.51.100.23", "198.51.100.140", "192.0.2.44", "192.0.2.201"
  };
  private static final int[] CLIENT_ERRORS = {400, 403, 404, 429};
  private static final int[] SERVER_ERRORS = {500, 502, 503, 504};

  private final long seed;
  private final TrafficShape shape;

  /** The traffic of a {@link SimulatedAccount} created with {@code seed}. */
  TrafficModel(long seed) {
    this.seed = seed;
    this.shape = new TrafficShape(seed);
  }

  /**
   * The requests {@code group}'s stage served during the second starting at {@code epochSecond}.
   */
  List<SimulatedRequest> requests(DemoLogGroup group, long epochSecond) {
    long minuteStart = Math.floorDiv(epochSecond, 60) * 60;
    int secondOfMinute = (int) (epochSecond - minuteStart);
    SimulatedAccount.Api api = group.api();
    List<SimulatedRequest> requests = new ArrayList<>();
    for (String route : api.routes()) {
      RouteMinute minute = shape.routeMinute(api, group.stage(), route, minuteStart);
      int end = minute.firstIndexOfSecond(secondOfMinute + 1);
      for (int index = minute.firstIndexOfSecond(secondOfMinute); index < end; index++) {
        // Seeds one apart give correlated first draws: mix them first.
        SplittableRandom random =
            new SplittableRandom(
                mix(
                    seed
                        ^ mix((api.id() + "/" + group.stage() + "/" + route).hashCode())
                        ^ mix(minuteStart * 4096 + index)));
        requests.add(
            request(
                group, route, minute, index, epochSecond * 1000 + random.nextInt(1000), random));
      }
    }
    requests.sort((a, b) -> Long.compare(a.epochMillis(), b.epochMillis()));
    return requests;
  }

  /** Between {@link #DIURNAL_FLOOR} and 1: a cosine over the UTC day peaking at 16:00. */
  static double diurnalFactor(long epochSecond) {
    return TrafficShape.diurnalFactor(epochSecond);
  }

  private static SimulatedRequest request(
      DemoLogGroup group,
      String route,
      RouteMinute minute,
      int index,
      long millis,
      SplittableRandom random) {
    SimulatedAccount.Api api = group.api();
    boolean webSocket = api.type() == SimulatedAccount.ApiType.WEBSOCKET;
    String method = null;
    String path = null;
    if (!webSocket) {
      int space = route.indexOf(' ');
      method = route.substring(0, space);
      path = route.substring(space + 1);
      if (method.equals("ANY")) {
        method = random.nextBoolean() ? "GET" : "POST";
      }
    }
    int status =
        switch (minute.outcome(index)) {
          case CLIENT_ERROR -> CLIENT_ERRORS[random.nextInt(CLIENT_ERRORS.length)];
          case SERVER_ERROR -> SERVER_ERRORS[random.nextInt(SERVER_ERRORS.length)];
          case OK -> "POST".equals(method) ? 201 : "DELETE".equals(method) ? 204 : 200;
        };
    long latency = Math.round(minute.latency().quantile(random.nextDouble()));
    return new SimulatedRequest(
        api.id(),
        group.stage(),
        route,
        method,
        path,
        status,
        latency,
        status >= 400 ? 40 + random.nextInt(80) : 200 + random.nextInt(4800),
        new UUID(random.nextLong(), random.nextLong()).toString(),
        SOURCE_IPS[random.nextInt(SOURCE_IPS.length)],
        millis,
        webSocket ? "WebSocket" : "HTTP/1.1");
  }

  /** SplitMix64's finalizer: spreads nearby inputs over the whole range. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
