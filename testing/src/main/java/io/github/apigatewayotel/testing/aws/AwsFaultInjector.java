package io.github.apigatewayotel.testing.aws;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;

/**
 * A {@link FakeAwsServer} interceptor that makes a simulated account misbehave as a real one does
 * under load, from a seeded {@link Random}: a share of all calls throttled, some answered slowly,
 * and, per service, a script of fault episodes played in order (a burst of 5xx, credentials that
 * expire for a while, a pagination token rejected, a streak of throttling). An episode starts once
 * a gap of calls of its service went through since the previous one, so a client recovers between
 * them. {@link #stop()} ends every fault. Thread-safe; counts what it did.
 */
public final class AwsFaultInjector implements Function<AwsRequest, Optional<AwsResponse>> {

  /** What an episode answers. */
  public enum Kind {
    /** Consecutive calls answered 500 and 503 in turn. */
    SERVER_ERROR_BURST,
    /** Consecutive calls answered with the protocol's expired-credentials error. */
    EXPIRED_CREDENTIALS,
    /** The next call carrying a pagination token is refused as invalid (expired); one call. */
    REJECTED_TOKEN,
    /** Consecutive calls throttled, more than one SDK's retries absorb. */
    THROTTLE_STREAK
  }

  /** What the injector answered, so far. */
  public record Counts(
      long calls,
      long throttled,
      long serverErrors,
      long expired,
      long rejectedTokens,
      long delayed,
      long passed) {}

  private record Episode(Kind kind, String operation, int calls) {}

  /** The scripted episodes of one service (its SigV4 signing name). */
  private static final class Script {
    final int gap;
    final Deque<Episode> pending = new ArrayDeque<>();
    Episode current;
    int remaining;
    int passedSinceEpisode;

    Script(int gap) {
      this.gap = gap;
    }
  }

  private final Random random;
  private final double throttleRate;
  private final double slowRate;
  private final int slowMinMillis;
  private final int slowMaxMillis;
  private final Map<String, Script> scripts = new HashMap<>();
  private volatile boolean stopped;
  private long calls;
  private long throttled;
  private long serverErrors;
  private long expired;
  private long rejectedTokens;
  private long delayed;
  private long passed;

  private AwsFaultInjector(Builder builder) {
    this.random = new Random(builder.seed);
    this.throttleRate = builder.throttleRate;
    this.slowRate = builder.slowRate;
    this.slowMinMillis = builder.slowMinMillis;
    this.slowMaxMillis = builder.slowMaxMillis;
    builder.episodes.forEach(
        (service, episodes) -> {
          Script script = new Script(builder.gaps.getOrDefault(service, builder.gap));
          script.pending.addAll(episodes);
          script.passedSinceEpisode = script.gap; // the first episode may start at once
          scripts.put(service, script);
        });
  }

  public static Builder builder(long seed) {
    return new Builder(seed);
  }

  @Override
  public Optional<AwsResponse> apply(AwsRequest request) {
    long delayMillis;
    Optional<AwsResponse> answer;
    synchronized (this) {
      calls++;
      if (stopped) {
        passed++;
        return Optional.empty();
      }
      delayMillis =
          random.nextDouble() < slowRate
              ? slowMinMillis + random.nextInt(slowMaxMillis - slowMinMillis + 1)
              : 0;
      if (delayMillis > 0) {
        delayed++;
      }
      answer = decide(request);
    }
    if (delayMillis > 0) {
      try {
        Thread.sleep(delayMillis); // outside the lock: other calls go on meanwhile
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return answer;
  }

  private Optional<AwsResponse> decide(AwsRequest request) {
    Script script = scripts.get(request.service());
    if (script != null) {
      Optional<AwsResponse> scripted = scripted(script, request);
      if (scripted.isPresent()) {
        return scripted;
      }
    }
    if (random.nextDouble() < throttleRate) {
      throttled++;
      return Optional.of(AwsFaultResponses.throttling(request));
    }
    passed++;
    if (script != null) {
      script.passedSinceEpisode++;
    }
    return Optional.empty();
  }

  private Optional<AwsResponse> scripted(Script script, AwsRequest request) {
    if (script.current == null) {
      Episode next = script.pending.peek();
      if (next == null
          || script.passedSinceEpisode < script.gap
          || !applies(next, request)
          || (next.kind == Kind.REJECTED_TOKEN && !AwsFaultResponses.carriesToken(request))) {
        return Optional.empty();
      }
      script.current = script.pending.poll();
      script.remaining = next.calls;
    } else if (!applies(script.current, request)) {
      return Optional.empty();
    }
    Episode episode = script.current;
    script.remaining--;
    if (script.remaining == 0) {
      script.current = null;
      script.passedSinceEpisode = 0;
    }
    return Optional.of(answer(episode.kind, request, script.remaining));
  }

  private static boolean applies(Episode episode, AwsRequest request) {
    return episode.operation == null
        || episode.operation.equals(FakeAwsServer.operationOf(request));
  }

  private AwsResponse answer(Kind kind, AwsRequest request, int remaining) {
    switch (kind) {
      case SERVER_ERROR_BURST:
        serverErrors++;
        return AwsFaultResponses.serverError(request, remaining % 2 == 0 ? 500 : 503);
      case EXPIRED_CREDENTIALS:
        expired++;
        return AwsFaultResponses.expiredToken(request);
      case REJECTED_TOKEN:
        rejectedTokens++;
        return AwsFaultResponses.rejectedToken(request);
      case THROTTLE_STREAK:
      default:
        throttled++;
        return AwsFaultResponses.throttling(request);
    }
  }

  /** Whether every scripted episode has been played to its end. */
  public synchronized boolean scriptsDone() {
    for (Script script : scripts.values()) {
      if (script.current != null || !script.pending.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /** Ends every fault: from now on every call goes through, promptly. */
  public void stop() {
    stopped = true;
  }

  public synchronized Counts counts() {
    return new Counts(calls, throttled, serverErrors, expired, rejectedTokens, delayed, passed);
  }

  /** Configures an {@link AwsFaultInjector}. */
  public static final class Builder {
    private final long seed;
    private double throttleRate;
    private double slowRate;
    private int slowMinMillis;
    private int slowMaxMillis;
    private int gap;
    private final Map<String, Integer> gaps = new HashMap<>();
    private final Map<String, Deque<Episode>> episodes = new HashMap<>();

    private Builder(long seed) {
      this.seed = seed;
    }

    /** The share of calls (0..1) answered with the service's throttling error. */
    public Builder throttle(double rate) {
      this.throttleRate = rate(rate);
      return this;
    }

    /** The share of calls (0..1) delayed by {@code minMillis}..{@code maxMillis}. */
    public Builder slow(double rate, int minMillis, int maxMillis) {
      if (minMillis < 0 || maxMillis < minMillis) {
        throw new IllegalArgumentException("need 0 <= minMillis <= maxMillis");
      }
      this.slowRate = rate(rate);
      this.slowMinMillis = minMillis;
      this.slowMaxMillis = maxMillis;
      return this;
    }

    /** How many calls of a service go through between two of its episodes (default 0). */
    public Builder gap(int calls) {
      this.gap = nonNegative(calls);
      return this;
    }

    /**
     * The gap for {@code service} alone: a client that calls only while it has work (a receiver
     * whose window is collected goes quiet) needs a gap it reaches before it is done.
     */
    public Builder gap(String service, int calls) {
      gaps.put(Objects.requireNonNull(service, "service"), nonNegative(calls));
      return this;
    }

    /**
     * Appends an episode to the script of {@code service} (a signing name: {@code monitoring},
     * {@code logs}...), hitting {@code calls} consecutive calls of {@code operation} (null: any).
     */
    public Builder episode(String service, String operation, Kind kind, int calls) {
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(kind, "kind");
      if (calls < 1 || (kind == Kind.REJECTED_TOKEN && calls != 1)) {
        throw new IllegalArgumentException("an episode hits at least one call; a token, one");
      }
      episodes
          .computeIfAbsent(service, s -> new ArrayDeque<>())
          .add(new Episode(kind, operation, calls));
      return this;
    }

    public AwsFaultInjector build() {
      return new AwsFaultInjector(this);
    }

    private static int nonNegative(int calls) {
      if (calls < 0) {
        throw new IllegalArgumentException("gap must not be negative");
      }
      return calls;
    }

    private static double rate(double rate) {
      if (!(rate >= 0 && rate <= 1)) {
        throw new IllegalArgumentException("a rate is in 0..1: " + rate);
      }
      return rate;
    }
  }
}
