package io.github.apigatewayotel.logs.internal.red;

import java.util.List;
import java.util.Map;

/**
 * One closed minute: the values of each series that had requests in it, final from now on, and
 * which push readers still need it ({@link #needed}) or have it in an export not yet confirmed
 * ({@link #inFlight}), one bit per reader lane. Guarded by the {@link ClosedMinuteLog}'s lock.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
final class ClosedMinute {

  final long startEpochMillis;
  final List<Map.Entry<Series, SeriesValues>> series;
  long needed;
  long inFlight;

  ClosedMinute(long startEpochMillis, List<Map.Entry<Series, SeriesValues>> series) {
    this.startEpochMillis = startEpochMillis;
    this.series = series;
  }

  int points() {
    return series.size();
  }
}
