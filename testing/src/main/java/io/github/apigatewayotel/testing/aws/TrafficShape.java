package io.github.apigatewayotel.testing.aws;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Set;

/**
 * The traffic a simulated account's APIs serve, minute by minute and route by route: a diurnal load
 * (quiet around 04:00 UTC, busy around 16:00), each minute a 16-second burst of 4xx or 5xx on some
 * stages, and slow routes. Both the CloudWatch values of {@link SimulatedAccount} and the demo's
 * access-log lines derive from it, so metrics and logs tell the same story. Deterministic for a
 * seed: the same route and minute always give the same {@link RouteMinute}.
 */
public final class TrafficShape {

  /** Requests per second on one route (of weight 1) of a production stage at the daily peak. */
  public static final double PEAK_REQUESTS_PER_SECOND = 0.8;

  /** Non-production stages (staging, dev, beta...) see this share of production traffic. */
  public static final double NON_PRODUCTION_SHARE = 0.2;

  /** The quietest hour carries this share of the peak. */
  public static final double DIURNAL_FLOOR = 0.3;

  public static final int PEAK_HOUR_UTC = 16;

  /** A stage hit by a burst fails during these seconds of the minute (inclusive). */
  public static final int BURST_FIRST_SECOND = 20;

  public static final int BURST_LAST_SECOND = 35;

  /** During a burst, this share of the stage's requests fail. */
  public static final double BURST_ERROR_RATE = 0.6;

  /** Roughly one stage in this many is hit by a burst each minute. */
  static final int BURST_ONE_STAGE_IN = 7;

  public static final double BASELINE_4XX_RATE = 0.02;
  public static final double BASELINE_5XX_RATE = 0.003;

  /** WebSocket: the share of server errors raised while calling the integration. */
  static final double EXECUTION_ERROR_SHARE = 0.3;

  /** Routes whose integration is slow (seconds, not milliseconds). */
  public static final Set<String> SLOW_ROUTES =
      Set.of("POST /charge", "POST /checkout", "PUT /items/{id}");

  public static final Set<String> PRODUCTION_STAGES =
      Set.of("prod", "production", "v1", "$default");

  /** Latency of ordinary routes: uniform in this range, plus a rare slow tail. */
  static final LatencyProfile FAST_ROUTE = new LatencyProfile(15, 135, 0, 0);

  static final double FAST_ROUTE_TAIL_SHARE = 0.01;
  static final double FAST_ROUTE_TAIL_EXTRA_MS = 900;
  static final LatencyProfile SLOW_ROUTE = new LatencyProfile(800, 3300, 0, 0);

  /** Time API Gateway itself spends on a request: latency minus integration latency. */
  static final double GATEWAY_OVERHEAD_MS = 8;

  /** WebSocket connect and disconnect routes see this share of a message route's traffic. */
  static final double CONNECTION_ROUTE_WEIGHT = 0.25;

  static final double GET_CACHE_HIT_RATE = 0.6;
  static final double OTHER_CACHE_HIT_RATE = 0.1;
  static final int ERROR_RESPONSE_BYTES = 80;

  private final long seed;

  public TrafficShape(long seed) {
    this.seed = seed;
  }

  /** The error burst of a stage. */
  public enum Burst {
    NONE,
    CLIENT_ERRORS,
    SERVER_ERRORS
  }

  /**
   * Between {@link #DIURNAL_FLOOR} and 1: a cosine over the UTC day peaking at {@link
   * #PEAK_HOUR_UTC}.
   */
  public static double diurnalFactor(long epochSecond) {
    double hour =
        Instant.ofEpochSecond(epochSecond).atZone(ZoneOffset.UTC).toLocalTime().toSecondOfDay()
            / 3600.0;
    double phase = 2 * Math.PI * (hour - PEAK_HOUR_UTC) / 24;
    return DIURNAL_FLOOR + (1 - DIURNAL_FLOOR) * (0.5 + 0.5 * Math.cos(phase));
  }

  /** Whether {@code epochSecond} falls in the burst window of its minute. */
  public static boolean isBurstSecond(long epochSecond) {
    int second = (int) Math.floorMod(epochSecond, 60L);
    return second >= BURST_FIRST_SECOND && second <= BURST_LAST_SECOND;
  }

  /**
   * The burst hitting {@code stage} of API {@code apiId} in the minute starting at {@code
   * minuteStart}.
   */
  public Burst burst(String apiId, String stage, long minuteStartEpochSecond) {
    long minute = Math.floorDiv(minuteStartEpochSecond, 60);
    long draw = mix(seed * 31 + minute);
    long stageHash = mix(draw ^ mix((apiId + "/" + stage).hashCode()));
    if (Math.floorMod(stageHash, BURST_ONE_STAGE_IN) != 0) {
      return Burst.NONE;
    }
    return (draw & 1) == 0 ? Burst.CLIENT_ERRORS : Burst.SERVER_ERRORS;
  }

  /** Relative traffic of {@code route} on {@code api}: stable per route, between 0.5 and 1.5. */
  public static double routeWeight(SimulatedAccount.Api api, String route) {
    if (api.type() == SimulatedAccount.ApiType.WEBSOCKET
        && (route.equals("$connect") || route.equals("$disconnect"))) {
      return CONNECTION_ROUTE_WEIGHT;
    }
    return 0.5 + Math.floorMod(mix((api.id() + " " + route).hashCode()), 101) / 100.0;
  }

  /**
   * What {@code route} of {@code stage} served in the minute starting at {@code
   * minuteStartEpochSecond}.
   */
  public RouteMinute routeMinute(
      SimulatedAccount.Api api, String stage, String route, long minuteStartEpochSecond) {
    Objects.requireNonNull(api, "api");
    long minuteStart = Math.floorDiv(minuteStartEpochSecond, 60) * 60;
    long h = mix(seed ^ mix((api.id() + "/" + stage + "/" + route).hashCode()) ^ mix(minuteStart));
    Draws draws = new Draws(h);
    double expected =
        PEAK_REQUESTS_PER_SECOND
            * 60
            * diurnalFactor(minuteStart)
            * routeWeight(api, route)
            * (PRODUCTION_STAGES.contains(stage) ? 1 : NON_PRODUCTION_SHARE);
    int requests = draws.round(expected);
    Burst burst = burst(api.id(), stage, minuteStart);
    int phase = (int) Math.floorMod(draws.next(), 60L);
    int burstRequests =
        RouteMinute.firstIndexOfSecond(BURST_LAST_SECOND + 1, requests, phase)
            - RouteMinute.firstIndexOfSecond(BURST_FIRST_SECOND, requests, phase);
    int burstFailures = burst == Burst.NONE ? 0 : draws.round(burstRequests * BURST_ERROR_RATE);
    int spared = requests - burstFailures;
    int baseline5xx = Math.min(spared, draws.round(spared * BASELINE_5XX_RATE));
    int baseline4xx = Math.min(spared - baseline5xx, draws.round(spared * BASELINE_4XX_RATE));
    int clientErrors = baseline4xx + (burst == Burst.CLIENT_ERRORS ? burstFailures : 0);
    int serverErrors = baseline5xx + (burst == Burst.SERVER_ERRORS ? burstFailures : 0);
    int executionErrors = draws.round(serverErrors * EXECUTION_ERROR_SHARE);
    int cacheHits =
        draws.round(
            requests * (route.startsWith("GET ") ? GET_CACHE_HIT_RATE : OTHER_CACHE_HIT_RATE));
    int cacheHitsBounded = Math.min(requests, cacheHits);
    int errors = clientErrors + serverErrors;
    long meanOkBytes = 600 + Math.floorMod(draws.next(), 2400L);
    long bytes = (requests - errors) * meanOkBytes + (long) errors * ERROR_RESPONSE_BYTES;
    LatencyProfile latency = latency(route, requests, draws);
    return new RouteMinute(
        minuteStart,
        requests,
        burst,
        burstFailures,
        clientErrors,
        serverErrors,
        executionErrors,
        cacheHitsBounded,
        requests - cacheHitsBounded,
        bytes,
        latency,
        latency.minus(GATEWAY_OVERHEAD_MS),
        spared == 0 ? 0 : (int) Math.floorMod(draws.next(), (long) spared),
        phase);
  }

  private static LatencyProfile latency(String route, int requests, Draws draws) {
    if (SLOW_ROUTES.contains(route)) {
      return SLOW_ROUTE;
    }
    // The rare slow request: a whole number of them this minute, so small minutes often have none.
    int slow = Math.min(requests, draws.round(requests * FAST_ROUTE_TAIL_SHARE));
    if (slow == 0) {
      return FAST_ROUTE;
    }
    return new LatencyProfile(
        FAST_ROUTE.fastestMs(),
        FAST_ROUTE.slowestMs(),
        slow / (double) requests,
        FAST_ROUTE_TAIL_EXTRA_MS);
  }

  /** A deterministic stream of draws: stochastic rounding keeps expected values right. */
  private static final class Draws {
    private long state;

    Draws(long state) {
      this.state = state;
    }

    long next() {
      state += 0x9E3779B97F4A7C15L;
      return mix(state);
    }

    /**
     * {@code floor(x)} or {@code floor(x) + 1}, the latter with probability {@code x - floor(x)}.
     */
    int round(double x) {
      double u = (next() >>> 11) * 0x1.0p-53;
      return (int) Math.floor(x + u);
    }
  }

  /** SplitMix64's finalizer: spreads nearby inputs over the whole range. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
