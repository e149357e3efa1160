package io.github.apigatewayotel.state.fleet;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * A compact binary encoding of high-water marks (query key to period start, epoch seconds) for a
 * checkpoint in the fleet table: the keys sorted and front-coded (each stores only what differs
 * from the previous key), each mark stored as its difference from the most common mark in periods
 * of {@code step} seconds (one byte, 0, for nearly every query of a plan polled in step), the whole
 * deflated (zlib: damage fails its checksum). A region's marks then take a few bytes per query
 * instead of the file's 60 or so; {@link FencedCheckpoints} splits what still exceeds an item.
 */
public final class MarkCodec {

  private static final int VERSION = 1;

  /** Decoded size limit: a damaged or hostile item never exhausts the heap. */
  private static final long MAX_KEYS = 50_000_000L;

  private MarkCodec() {}

  public static byte[] encode(Map<String, Long> marks, long step) {
    TreeMap<String, Long> sorted = new TreeMap<>(marks);
    long common = mostCommon(marks);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
    try (DataOutputStream out = new DataOutputStream(new DeflaterOutputStream(bytes, deflater))) {
      out.writeByte(VERSION);
      writeVarLong(out, step);
      writeVarLong(out, zigZag(common));
      writeVarLong(out, sorted.size());
      byte[] previous = new byte[0];
      for (Map.Entry<String, Long> entry : sorted.entrySet()) {
        byte[] key = entry.getKey().getBytes(StandardCharsets.UTF_8);
        int shared = 0;
        while (shared < key.length && shared < previous.length && key[shared] == previous[shared]) {
          shared++;
        }
        writeVarLong(out, shared);
        writeVarLong(out, key.length - shared);
        out.write(key, shared, key.length - shared);
        long delta = entry.getValue() - common;
        if (step > 1 && delta % step == 0) {
          writeVarLong(out, zigZag(delta / step) << 1); // whole periods: the low bit says so
        } else {
          writeVarLong(out, (zigZag(delta) << 1) | 1);
        }
        previous = key;
      }
    } catch (IOException e) {
      throw new IllegalStateException("in-memory deflate failed", e);
    } finally {
      deflater.end();
    }
    return bytes.toByteArray();
  }

  /**
   * @throws IOException when {@code encoded} is damaged (its zlib checksum or structure)
   */
  public static Map<String, Long> decode(byte[] encoded) throws IOException {
    try (DataInputStream in =
        new DataInputStream(new InflaterInputStream(new java.io.ByteArrayInputStream(encoded)))) {
      int version = in.readUnsignedByte();
      if (version != VERSION) {
        throw new IOException("unknown marks encoding version " + version);
      }
      long step = readVarLong(in);
      long common = unZigZag(readVarLong(in));
      long count = readVarLong(in);
      if (count > MAX_KEYS) {
        throw new IOException("marks checkpoint claims " + count + " keys");
      }
      Map<String, Long> marks = new HashMap<>((int) Math.min(count * 2, 1 << 20));
      byte[] previous = new byte[0];
      for (long i = 0; i < count; i++) {
        int shared = (int) readVarLong(in);
        int suffix = (int) readVarLong(in);
        if (shared > previous.length || suffix > 65_536) {
          throw new IOException("damaged marks checkpoint at key " + i);
        }
        byte[] key = new byte[shared + suffix];
        System.arraycopy(previous, 0, key, 0, shared);
        in.readFully(key, shared, suffix);
        long raw = readVarLong(in);
        long delta = (raw & 1) == 0 ? unZigZag(raw >>> 1) * step : unZigZag(raw >>> 1);
        marks.put(new String(key, StandardCharsets.UTF_8), common + delta);
        previous = key;
      }
      if (in.read() != -1) {
        throw new IOException("damaged marks checkpoint: bytes after its last key");
      }
      return marks;
    } catch (java.util.zip.ZipException e) {
      throw new IOException("damaged marks checkpoint (" + e.getMessage() + ")", e);
    }
  }

  private static long mostCommon(Map<String, Long> marks) {
    Map<Long, Integer> counts = new HashMap<>();
    long best = 0;
    int bestCount = 0;
    for (long mark : marks.values()) {
      int count = counts.merge(mark, 1, Integer::sum);
      if (count > bestCount) {
        best = mark;
        bestCount = count;
      }
    }
    return best;
  }

  private static long zigZag(long value) {
    return (value << 1) ^ (value >> 63);
  }

  private static long unZigZag(long value) {
    return (value >>> 1) ^ -(value & 1);
  }

  private static void writeVarLong(OutputStream out, long value) throws IOException {
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }

  private static long readVarLong(InputStream in) throws IOException {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("damaged marks checkpoint: truncated");
      }
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new IOException("damaged marks checkpoint: varint too long");
  }
}
