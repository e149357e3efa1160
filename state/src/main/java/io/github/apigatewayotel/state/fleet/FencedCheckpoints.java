package io.github.apigatewayotel.state.fleet;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Each unit's checkpoint (opaque bytes: the log group's position, the region's marks) in the fleet
 * table, written only under the unit's lease: the checkpoint's head item carries the fencing {@code
 * token} of the lease that last sealed it, and every write is conditional on it being the writer's
 * own token. A new holder {@linkplain #takeOver seals} the head with its (greater) token and reads
 * it in the same conditional update: from then on no earlier holder can advance the checkpoint, and
 * what it read is the last checkpoint any holder wrote.
 *
 * <p>A checkpoint up to {@value #INLINE_LIMIT} bytes lives in the head item; a larger one (the
 * marks of a region with thousands of APIs) in chunk items of that size, written first under a new
 * version, then named by the head in one fenced update, the previous version's chunks deleted after
 * (DynamoDB items hold at most 400 KB). Chunks a fenced-off writer left are deleted by the next
 * takeover.
 */
public final class FencedCheckpoints {

  static final int INLINE_LIMIT = 350 * 1024;
  private static final String HEAD = "head";
  private static final String CHUNK = "chunk#";
  private static final String TOKEN = "token";
  private static final String DATA = "data";
  private static final String VERSION = "version";
  private static final String CHUNKS = "chunks";

  private final FleetTable table;
  private long writes;
  private long sequence;

  /**
   * The chunked version each unit's head names (as this replica last wrote or read it), and its
   * chunk count.
   */
  private final Map<String, Map.Entry<String, Integer>> chunked = new HashMap<>();

  public FencedCheckpoints(FleetTable table) {
    this.table = Objects.requireNonNull(table, "table");
  }

  private static String partition(String unit) {
    return "checkpoint#" + unit;
  }

  /** DynamoDB requests made so far. */
  public synchronized long requests() {
    return writes;
  }

  /**
   * Seals the unit's checkpoint with the lease's token and returns it (empty when none was ever
   * written).
   *
   * @throws LeaseLostException when a later holder sealed it already
   */
  public synchronized Optional<byte[]> takeOver(Lease lease)
      throws LeaseLostException, FleetUnavailableException {
    Map<String, AttributeValue> head;
    try {
      writes++;
      head =
          table
              .client()
              .updateItem(
                  r ->
                      r.tableName(table.name())
                          .key(FleetTable.key(partition(lease.unit()), HEAD))
                          .updateExpression("SET #t = :t")
                          .conditionExpression("attribute_not_exists(#t) OR #t <= :t")
                          .expressionAttributeNames(Map.of("#t", TOKEN))
                          .expressionAttributeValues(Map.of(":t", n(lease.token())))
                          .returnValues(ReturnValue.ALL_NEW))
              .attributes();
    } catch (ConditionalCheckFailedException e) {
      throw new LeaseLostException(lease);
    } catch (SdkException e) {
      throw table.unavailable(e);
    }
    String version = head.containsKey(VERSION) ? head.get(VERSION).s() : null;
    try {
      Map<String, byte[]> chunks = chunks(lease.unit());
      if (version == null || head.containsKey(DATA)) {
        chunked.remove(lease.unit());
      }
      if (head.containsKey(DATA)) {
        deleteChunksExcept(lease.unit(), chunks, null);
        return Optional.of(head.get(DATA).b().asByteArray());
      }
      if (version == null) {
        deleteChunksExcept(lease.unit(), chunks, null);
        return Optional.empty();
      }
      int count = Integer.parseInt(head.get(CHUNKS).n());
      ByteArrayOutputStream whole = new ByteArrayOutputStream();
      for (int i = 0; i < count; i++) {
        byte[] chunk = chunks.get(chunkKey(version, i));
        if (chunk == null) {
          throw new FleetUnavailableException(
              "apigateway-otel fleet: the checkpoint of "
                  + lease.unit()
                  + " in the DynamoDB table "
                  + table.name()
                  + " lacks its chunk "
                  + i
                  + " of "
                  + count,
              null);
        }
        whole.writeBytes(chunk);
      }
      deleteChunksExcept(lease.unit(), chunks, version);
      chunked.put(lease.unit(), Map.entry(version, count));
      return Optional.of(whole.toByteArray());
    } catch (SdkException e) {
      throw table.unavailable(e);
    }
  }

  /**
   * Writes the unit's checkpoint if {@code lease} still fences it; false when a later holder sealed
   * it (this replica lost the lease: the checkpoint is not advanced).
   */
  public synchronized boolean write(Lease lease, byte[] checkpoint)
      throws FleetUnavailableException {
    try {
      if (checkpoint.length <= INLINE_LIMIT) {
        boolean written =
            writeHead(
                lease,
                "SET #d = :d REMOVE #v, #n",
                Map.of(":d", AttributeValue.fromB(SdkBytes.fromByteArray(checkpoint))));
        if (written) {
          deletePrevious(lease.unit(), null, 0);
        }
        return written;
      }
      String version = lease.token() + "." + (++sequence) + "." + System.nanoTime();
      int count = 0;
      for (int offset = 0; offset < checkpoint.length; offset += INLINE_LIMIT, count++) {
        int end = Math.min(checkpoint.length, offset + INLINE_LIMIT);
        Map<String, AttributeValue> item =
            new HashMap<>(FleetTable.key(partition(lease.unit()), chunkKey(version, count)));
        item.put(
            DATA,
            AttributeValue.fromB(
                SdkBytes.fromByteArray(java.util.Arrays.copyOfRange(checkpoint, offset, end))));
        writes++;
        table.client().putItem(r -> r.tableName(table.name()).item(item));
      }
      boolean written =
          writeHead(
              lease,
              "SET #v = :v, #n = :n REMOVE #d",
              Map.of(":v", AttributeValue.fromS(version), ":n", n(count)));
      if (written) {
        deletePrevious(lease.unit(), version, count);
      } else {
        for (int i = 0; i < count; i++) { // fenced off: nobody names these chunks
          deleteChunk(lease.unit(), chunkKey(version, i));
        }
      }
      return written;
    } catch (SdkException e) {
      throw table.unavailable(e);
    }
  }

  /** Deletes the chunks of the version the head named before (if any); remembers the new one. */
  private void deletePrevious(String unit, String version, int count) {
    Map.Entry<String, Integer> previous =
        version == null ? chunked.remove(unit) : chunked.put(unit, Map.entry(version, count));
    if (previous != null) {
      for (int i = 0; i < previous.getValue(); i++) {
        deleteChunk(unit, chunkKey(previous.getKey(), i));
      }
    }
  }

  private boolean writeHead(Lease lease, String update, Map<String, AttributeValue> values) {
    Map<String, AttributeValue> all = new HashMap<>(values);
    all.put(":t", n(lease.token()));
    try {
      writes++;
      table
          .client()
          .updateItem(
              r ->
                  r.tableName(table.name())
                      .key(FleetTable.key(partition(lease.unit()), HEAD))
                      .updateExpression(update)
                      .conditionExpression("#t = :t")
                      .expressionAttributeNames(
                          Map.of("#t", TOKEN, "#d", DATA, "#v", VERSION, "#n", CHUNKS))
                      .expressionAttributeValues(all));
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }

  private static String chunkKey(String version, int index) {
    return CHUNK + version + "#" + index;
  }

  private Map<String, byte[]> chunks(String unit) {
    Map<String, byte[]> chunks = new HashMap<>();
    QueryRequest query =
        QueryRequest.builder()
            .tableName(table.name())
            .keyConditionExpression("#pk = :p AND begins_with(#sk, :chunk)")
            .expressionAttributeNames(
                Map.of("#pk", FleetTable.PARTITION_KEY, "#sk", FleetTable.SORT_KEY))
            .expressionAttributeValues(
                Map.of(
                    ":p",
                    AttributeValue.fromS(partition(unit)),
                    ":chunk",
                    AttributeValue.fromS(CHUNK)))
            .consistentRead(true)
            .build();
    for (var page : table.client().queryPaginator(query)) {
      writes++;
      for (Map<String, AttributeValue> item : page.items()) {
        chunks.put(item.get(FleetTable.SORT_KEY).s(), item.get(DATA).b().asByteArray());
      }
    }
    return chunks;
  }

  private void deleteChunksExcept(String unit, Map<String, byte[]> chunks, String keep) {
    List<String> doomed = new ArrayList<>();
    for (String key : chunks.keySet()) {
      if (keep == null || !key.startsWith(CHUNK + keep + "#")) {
        doomed.add(key);
      }
    }
    for (String key : doomed) {
      deleteChunk(unit, key);
    }
  }

  private void deleteChunk(String unit, String key) {
    writes++;
    table
        .client()
        .deleteItem(r -> r.tableName(table.name()).key(FleetTable.key(partition(unit), key)));
  }

  private static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }
}
