package io.github.apigatewayotel.logs.internal.cloudwatch;

import io.github.apigatewayotel.logs.internal.DeliveryBatch;
import io.github.apigatewayotel.state.StateFile;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;

/**
 * Reads the new events of one log group with FilterLogEvents, from the group's checkpoint floor to
 * the end of the poll, page by page, skipping events already seen and saving the checkpoint after
 * every page, so a process killed between pages neither loses nor repeats a line.
 *
 * <p>FilterLogEvents returns events ordered by timestamp (then ingestion time), so once a page
 * ending at timestamp T is handed over, the floor may rise to T, but no higher than the query end
 * minus the ingestion-delay overlap: events that CloudWatch ingests late (with an older timestamp)
 * are found by the next poll, which re-reads the overlap window and skips what it has seen.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class LogGroupReader {

  private static final Logger logger = Logger.getLogger(LogGroupReader.class.getName());

  public static final String OPERATION = "FilterLogEvents";

  /** The most events one FilterLogEvents page may hold (AWS: 10,000 or 1 MB). */
  public static final int MAX_PAGE_SIZE = 10_000;

  /**
   * The most FilterLogEvents pages with new events one read of a group takes (up to 10,000 events
   * or 1 MB each). A group with a large backlog (a busy group after downtime, a long lookback) then
   * yields to the other groups of the poll and goes on from its checkpoint next poll, instead of
   * holding every other group back until its backlog is read.
   */
  public static final int MAX_PAGES_PER_READ = 20;

  /**
   * The most event ids remembered per group. Past it the overlap window is shortened (counted);
   * 50,000 ids take about 4 MB of checkpoint.
   */
  public static final int DEFAULT_MAX_SEEN_IDS = 50_000;

  private final CloudWatchLogsClient client;
  private final CheckpointStore store;
  private final LogEventSink sink;
  private final CloudWatchLogsSourceMetrics metrics;
  private final long lookbackMillis;
  private final long overlapMillis;
  private final int pageSize;
  private final int maxSeenIds;
  private final BooleanSupplier stopped;
  private final Supplier<DeliveryBatch> batches;
  private final Map<String, GroupCheckpoint> checkpoints = new HashMap<>();

  public LogGroupReader(
      CloudWatchLogsClient client,
      CheckpointStore store,
      LogEventSink sink,
      CloudWatchLogsSourceMetrics metrics,
      Duration lookback,
      Duration overlap,
      int pageSize,
      int maxSeenIds,
      BooleanSupplier stopped,
      Supplier<DeliveryBatch> batches) {
    this.batches = batches;
    this.client = client;
    this.store = store;
    this.sink = sink;
    this.metrics = metrics;
    this.lookbackMillis = lookback.toMillis();
    this.overlapMillis = overlap.toMillis();
    this.pageSize = pageSize;
    this.maxSeenIds = maxSeenIds;
    this.stopped = stopped;
  }

  /**
   * Reads {@code logGroup} up to {@code queryEndMillis} (inclusive). Returns false if it stopped
   * early because the source was closed.
   *
   * @throws RuntimeException what the AWS client threw; progress up to the last page is kept
   */
  public boolean read(String logGroup, long queryEndMillis) {
    GroupCheckpoint checkpoint =
        checkpoints.computeIfAbsent(logGroup, group -> loadOrStart(group, queryEndMillis));
    long startMillis = checkpoint.floor();
    if (startMillis > queryEndMillis) {
      return true; // the clock went back: nothing new can be asked for yet
    }
    String token = null;
    long lastTimestamp = Long.MIN_VALUE;
    int pages = 0;
    do {
      if (stopped.getAsBoolean()) {
        return false;
      }
      metrics.request(OPERATION);
      FilterLogEventsResponse page =
          client.filterLogEvents(
              FilterLogEventsRequest.builder()
                  .logGroupName(logGroup)
                  .startTime(startMillis)
                  .endTime(queryEndMillis)
                  .limit(pageSize)
                  .nextToken(token)
                  .build());
      if (stopped.getAsBoolean()) {
        return false; // as if killed before handing the page over: the checkpoint says so
      }
      // Events are marked seen, and the checkpoint saved, only once exported (with a delivery
      // tracker), piece by piece: neither a stop nor a crash then repeats or loses one.
      int newOnPage = 0;
      try (DeliveryBatch batch = batches.get()) {
        List<Long> pieceTimes = new ArrayList<>();
        List<String> pieceIds = new ArrayList<>();
        for (FilteredLogEvent event : page.events()) {
          long timestamp = event.timestamp() == null ? startMillis : event.timestamp();
          String eventId = idOf(event);
          if (checkpoint.isSeen(timestamp, eventId)) {
            metrics.duplicateSkipped();
            continue;
          }
          sink.accept(logGroup, event.logStreamName(), timestamp, event.message());
          newOnPage++;
          pieceTimes.add(timestamp);
          pieceIds.add(eventId);
          metrics.eventEmitted();
          lastTimestamp = Math.max(lastTimestamp, timestamp);
          if (pieceIds.size() >= DeliveryBatch.MAX_RECORDS
              && !deliver(logGroup, checkpoint, batch, pieceTimes, pieceIds, true)) {
            return false;
          }
        }
        if (!deliver(logGroup, checkpoint, batch, pieceTimes, pieceIds, false)) {
          return false;
        }
      }
      if (!page.events().isEmpty()) {
        long safeFloor = Math.min(lastTimestamp, queryEndMillis - overlapMillis);
        advance(logGroup, checkpoint, Math.max(startMillis, safeFloor));
      }
      String next = page.nextToken();
      token = next == null || next.isEmpty() || next.equals(token) ? null : next;
      // Only pages that handed new events over count: empty pages (FilterLogEvents returns them
      // while it scans) and pages of events already seen (the overlap) move nothing forward, and
      // stopping on them could leave a group where it was, poll after poll.
      if (token != null && newOnPage > 0 && ++pages >= MAX_PAGES_PER_READ) {
        logger.log(
            Level.FINE,
            "CloudWatch Logs: {0} has more than {1} pages to read; going on next" + " poll",
            new Object[] {logGroup, MAX_PAGES_PER_READ});
        return true; // the floor moved with each page: the next read starts where this one ended
      }
    } while (token != null);
    advance(logGroup, checkpoint, Math.max(startMillis, queryEndMillis - overlapMillis));
    return true;
  }

  /**
   * Waits for the piece's records to be exported and marks the exported ones seen; saves the
   * checkpoint when more of the page follows or when stopping, the page's end saving it anyway.
   * Returns false when stopped before all were exported.
   */
  private boolean deliver(
      String logGroup,
      GroupCheckpoint checkpoint,
      DeliveryBatch batch,
      List<Long> pieceTimes,
      List<String> pieceIds,
      boolean morePage) {
    boolean delivered = batch.awaitDelivery(stopped);
    int exported = delivered ? pieceIds.size() : batch.exportedPrefix();
    for (int i = 0; i < exported; i++) {
      checkpoint.markEmitted(pieceTimes.get(i), pieceIds.get(i));
    }
    pieceTimes.clear();
    pieceIds.clear();
    if ((morePage || !delivered) && exported > 0 && batch.confirmsDelivery()) {
      save(logGroup, checkpoint);
    }
    return delivered;
  }

  /**
   * CloudWatch gives every event an id; should one lack it, stream and message stand in, so the
   * event is still recognised when read again (and the checkpoint format stays one token).
   */
  static String idOf(FilteredLogEvent event) {
    if (event.eventId() != null && !event.eventId().isEmpty()) {
      return event.eventId();
    }
    return "noid-"
        + Integer.toHexString(String.valueOf(event.logStreamName()).hashCode())
        + "-"
        + Integer.toHexString(String.valueOf(event.message()).hashCode());
  }

  /** Forgets a group (deleted); its checkpoint file stays, in case it comes back. */
  public void forget(String logGroup) {
    checkpoints.remove(logGroup);
  }

  private void advance(String logGroup, GroupCheckpoint checkpoint, long floor) {
    checkpoint.raiseFloor(floor);
    if (checkpoint.limitSeenIds(maxSeenIds)) {
      metrics.overlapTruncated();
      logger.log(
          Level.FINE,
          "CloudWatch Logs group {0}: more than {1} events in the overlap window; shortened it",
          new Object[] {logGroup, maxSeenIds});
    }
    save(logGroup, checkpoint);
  }

  private void save(String logGroup, GroupCheckpoint checkpoint) {
    try {
      store.save(logGroup, checkpoint);
    } catch (IOException | RuntimeException e) {
      metrics.error("SaveCheckpoint", "checkpoint_io");
      logger.log(
          Level.WARNING,
          "Cannot save the checkpoint of CloudWatch Logs group "
              + logGroup
              + "; a restart may repeat lines",
          e);
    }
  }

  /**
   * The group's checkpoint, else a start at the lookback. After a damaged checkpoint (logged and
   * set aside by the store) the start is the earlier of the lookback and the time it was last saved
   * minus the overlap: nothing after its last save is missed, whatever the downtime; what was read
   * since the overlap before it is read again.
   */
  private GroupCheckpoint loadOrStart(String logGroup, long nowMillis) {
    long lookbackStart = Math.max(0, nowMillis - lookbackMillis);
    try {
      StateFile.Loaded<GroupCheckpoint> stored =
          store.load(
              logGroup,
              "reading group "
                  + logGroup
                  + " from the earlier of its last save minus the overlap and the lookback;"
                  + " events read since are sent again");
      if (stored.value() != null) {
        return stored.value();
      }
      if (stored.damaged()) {
        metrics.error("LoadCheckpoint", "checkpoint_damaged");
        long lastSaved = stored.savedAt().toMillis() - overlapMillis;
        return GroupCheckpoint.startingAt(Math.max(0, Math.min(lookbackStart, lastSaved)));
      }
    } catch (IOException | RuntimeException e) {
      metrics.error("LoadCheckpoint", "checkpoint_io");
      logger.log(
          Level.WARNING,
          "Cannot read the checkpoint of CloudWatch Logs group "
              + logGroup
              + "; starting from the lookback, which may repeat lines",
          e);
    }
    return GroupCheckpoint.startingAt(lookbackStart);
  }
}
