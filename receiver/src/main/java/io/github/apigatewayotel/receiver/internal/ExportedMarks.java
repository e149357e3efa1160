package io.github.apigatewayotel.receiver.internal;

import java.util.Arrays;

/**
 * How a query's exported mark moves when a lane exports its points: with one lane holding the
 * marks, past each period exported; with several, only once every lane that holds them exported it.
 * Which lanes hold them: the push readers' (their exporters say what the backend got) when there is
 * one, else every lane. A pull reader (Prometheus) exports by being collected, and may never be
 * (nobody scrapes it): it must not freeze the marks, and a restart repeating periods to it matters
 * little (it serves the latest values only).
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
final class ExportedMarks {

  private ExportedMarks() {}

  /** The lanes whose exports the persisted marks wait for, given which lanes {@code pull}. */
  static boolean[] holding(boolean[] pull) {
    boolean[] holding = new boolean[pull.length];
    boolean any = false;
    for (int i = 0; i < holding.length; i++) {
      holding[i] = !pull[i];
      any |= holding[i];
    }
    if (!any) {
      Arrays.fill(holding, true);
    }
    return holding;
  }

  /** {@code lane} exported {@code batch}; returns whether any query's mark may have moved. */
  static boolean batchExported(int lane, boolean[] holding, PendingBatch batch) {
    if (!holding[lane]) {
      return false; // a pull reader's collections do not hold the marks back while a push reader's
      // do
    }
    for (int i = 0; i < batch.size(); i++) {
      periodExported(lane, holding, batch.query(i).current(), batch.periodStart(i));
    }
    return batch.size() > 0;
  }

  /**
   * {@code lane}, one of {@code holding}, exported {@code query}'s period starting at {@code
   * periodStart}.
   */
  static boolean periodExported(int lane, boolean[] holding, PlannedQuery query, long periodStart) {
    int holders = 0;
    for (boolean h : holding) {
      holders += h ? 1 : 0;
    }
    if (holders == 1) {
      if (periodStart > query.exportedMark) {
        query.exportedMark = periodStart;
        return true;
      }
      return false;
    }
    query.laneExported(lane, holding, periodStart);
    return true;
  }
}
