package io.github.apigatewayotel.receiver;

import io.github.apigatewayotel.receiver.internal.CollectionWindow;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The checks of {@link ApiGatewayMetricsReceiverBuilder}'s settings: each setter's, and at {@link
 * ApiGatewayMetricsReceiverBuilder#build()} those of settings that depend on each other. Each
 * failure is an {@link IllegalArgumentException} naming the setting.
 */
final class ReceiverSettingChecks {

  private ReceiverSettingChecks() {}

  /** The settings that depend on each other; {@code pollInterval} is the one the receiver uses. */
  static void checkTogether(
      List<String> regions,
      Duration period,
      Duration lookback,
      Duration pollInterval,
      String accountId,
      int roleCount,
      boolean linkedAccounts) {
    checkArgument(!regions.isEmpty(), "regions: at least one AWS region is required");
    checkArgument(
        lookback.compareTo(period) >= 0,
        "lookback (" + lookback + ") must be at least the period (" + period + ")");
    checkArgument(
        accountId == null || roleCount < 2 || linkedAccounts,
        "accountId names one account, but "
            + roleCount
            + " roles read as many accounts, each under its own account id: leave accountId out");
    Duration maxInterval = period.multipliedBy(CollectionWindow.MAX_CATCH_UP_PERIODS);
    checkArgument(
        pollInterval.compareTo(maxInterval) <= 0,
        "pollInterval ("
            + pollInterval
            + ") must be at most "
            + CollectionWindow.MAX_CATCH_UP_PERIODS
            + " periods ("
            + maxInterval
            + "): a poll reads at most that far back, and older periods would be lost");
  }

  /** As opentelemetry-java's {@code Utils.checkArgument}: the message names the setting. */
  static void checkArgument(boolean valid, String message) {
    if (!valid) {
      throw new IllegalArgumentException(message);
    }
  }

  static Duration positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
    return d;
  }

  static Duration nonNegative(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative: " + d);
    }
    return d;
  }

  static String nonBlank(String s, String name) {
    Objects.requireNonNull(s, name);
    if (s.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return s;
  }
}
