package io.github.apigatewayotel.examples.demo;

import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.Set;
import java.util.UUID;

/**
 * What the demo's APIs serve each second: a diurnal load (quiet around 04:00 UTC, busy around
 * 16:00), one stage per minute hit by a burst of 4xx or 5xx, and a few slow routes. Deterministic
 * for a seed and a second, so a restart tells the same story.
 */
final class TrafficModel {

  /** Requests per second on one route of a production stage at the daily peak. */
  static final double PEAK_REQUESTS_PER_SECOND = 0.8;

  /** Non-production stages (staging, dev, beta...) see this share of production traffic. */
  static final double NON_PRODUCTION_SHARE = 0.2;

  /** The quietest hour carries this share of the peak. */
  static final double DIURNAL_FLOOR = 0.3;

  static final int PEAK_HOUR_UTC = 16;

  /** Each minute one stage has an error burst during these seconds of the minute. */
  static final int BURST_FIRST_SECOND = 20;

  static final int BURST_LAST_SECOND = 35;

  /** During a burst, this share of the stage's requests fail. */
  static final double BURST_ERROR_RATE = 0.6;

  static final double BASELINE_4XX_RATE = 0.02;
  static final double BASELINE_5XX_RATE = 0.003;

  /** Routes whose integration is slow (seconds, not milliseconds). */
  static final Set<String> SLOW_ROUTES = Set.of("POST /charge", "POST /checkout", "PUT /items/{id}");

  private static final Set<String> PRODUCTION_STAGES = Set.of("prod", "production", "v1", "$default");
  private static final String[] SOURCE_IPS = {
    "203.0.113.10", "203.0.113.77", "198.51.100.23", "198.51.100.140", "192.0.2.44", "192.0.2.201"
  };
  private static final int[] CLIENT_ERRORS = {400, 403, 404, 429};
  private static final int[] SERVER_ERRORS = {500, 502, 503, 504};

  private final long seed;

  TrafficModel(long seed) {
    this.seed = seed;
  }

  /** The requests {@code group}'s stage served during the second starting at {@code epochSecond}. */
  List<SimulatedRequest> requests(DemoLogGroup group, long epochSecond) {
    // Seeds one apart give correlated first draws in java.util.Random: mix them first.
    SplittableRandom random = new SplittableRandom(mix(seed ^ mix(group.name().hashCode()) ^ mix(epochSecond)));
    double rate = PEAK_REQUESTS_PER_SECOND * diurnalFactor(epochSecond)
        * (PRODUCTION_STAGES.contains(group.stage()) ? 1 : NON_PRODUCTION_SHARE);
    Burst burst = burstAt(group, epochSecond);
    List<SimulatedRequest> requests = new ArrayList<>();
    for (String route : group.api().routes()) {
      int count = (int) rate + (random.nextDouble() < rate - (int) rate ? 1 : 0);
      for (int i = 0; i < count; i++) {
        long millis = epochSecond * 1000 + random.nextInt(1000);
        requests.add(request(group, route, millis, burst, random));
      }
    }
    requests.sort((a, b) -> Long.compare(a.epochMillis(), b.epochMillis()));
    return requests;
  }

  /** Between {@link #DIURNAL_FLOOR} and 1: a cosine over the UTC day peaking at {@link #PEAK_HOUR_UTC}. */
  static double diurnalFactor(long epochSecond) {
    double hour = Instant.ofEpochSecond(epochSecond).atZone(ZoneOffset.UTC).toLocalTime().toSecondOfDay() / 3600.0;
    double phase = 2 * Math.PI * (hour - PEAK_HOUR_UTC) / 24;
    return DIURNAL_FLOOR + (1 - DIURNAL_FLOOR) * (0.5 + 0.5 * Math.cos(phase));
  }

  private enum Burst {
    NONE,
    CLIENT_ERRORS,
    SERVER_ERRORS
  }

  private Burst burstAt(DemoLogGroup group, long epochSecond) {
    long minute = Math.floorDiv(epochSecond, 60);
    int second = Math.floorMod(epochSecond, 60);
    if (second < BURST_FIRST_SECOND || second > BURST_LAST_SECOND) {
      return Burst.NONE;
    }
    SplittableRandom perMinute = new SplittableRandom(mix(seed * 31 + minute));
    // The minute's victim: a hash of the group against the minute's draw.
    int draw = perMinute.nextInt(1 << 16);
    boolean hit = Math.floorMod(group.name().hashCode() ^ draw, 7) == 0;
    if (!hit) {
      return Burst.NONE;
    }
    return perMinute.nextBoolean() ? Burst.CLIENT_ERRORS : Burst.SERVER_ERRORS;
  }

  private SimulatedRequest request(DemoLogGroup group, String route, long millis, Burst burst, SplittableRandom random) {
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
    int status = status(method, burst, random);
    long latency = SLOW_ROUTES.contains(route)
        ? 800 + random.nextInt(2500)
        : 15 + random.nextInt(120) + (random.nextInt(100) == 0 ? 900 : 0);
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

  private static int status(String method, Burst burst, SplittableRandom random) {
    double draw = random.nextDouble();
    if (burst == Burst.CLIENT_ERRORS && draw < BURST_ERROR_RATE) {
      return CLIENT_ERRORS[random.nextInt(CLIENT_ERRORS.length)];
    }
    if (burst == Burst.SERVER_ERRORS && draw < BURST_ERROR_RATE) {
      return SERVER_ERRORS[random.nextInt(SERVER_ERRORS.length)];
    }
    draw = random.nextDouble();
    if (draw < BASELINE_5XX_RATE) {
      return SERVER_ERRORS[random.nextInt(SERVER_ERRORS.length)];
    }
    if (draw < BASELINE_5XX_RATE + BASELINE_4XX_RATE) {
      return CLIENT_ERRORS[random.nextInt(CLIENT_ERRORS.length)];
    }
    return "POST".equals(method) ? 201 : "DELETE".equals(method) ? 204 : 200;
  }

  /** SplitMix64's finalizer: spreads nearby inputs over the whole range. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
