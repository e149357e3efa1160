package io.github.apigatewayotel.receiver.internal;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.utils.DateUtils;

/**
 * Writes the awsQuery form body of a GetMetricData call exactly as the AWS SDK's CloudWatch client
 * does (same parameters, same order, same {@code application/x-www-form-urlencoded} escaping as
 * {@code SdkHttpUtils.formDataEncode}), but straight into bytes: the parameter names are constants
 * encoded once, the few metric names, statistics and dimension names are encoded once and reused,
 * a series' fields are encoded once per call and copied for its other statistics.
 *
 * <p>The fields are not kept encoded across polls: at 1.6 million queries the encoded form is
 * ~1.3 GB, far more than the heap the receiver is allowed; encoding them again costs less than
 * a tenth of a poll's CPU.
 *
 * <p>What is kept across polls is the SHA-256 state after each body's constant part (everything
 * before {@code StartTime}: a batch's queries are the same every poll), so SigV4's payload hash
 * only digests the few bytes that change ({@link #payloadSha256}). SHA-256 of the ~1.3 GB a large
 * poll sends was the biggest single cost of the transport.
 */
final class GetMetricDataForm {

  /** Characters {@code URLEncoder} (and so the SDK's form encoding) leaves as they are. */
  private static final boolean[] UNRESERVED = new boolean[128];
  private static final byte[] HEX = ascii("0123456789ABCDEF");

  static {
    for (char c = 'a'; c <= 'z'; c++) {
      UNRESERVED[c] = true;
      UNRESERVED[Character.toUpperCase(c)] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      UNRESERVED[c] = true;
    }
    UNRESERVED['.'] = true;
    UNRESERVED['-'] = true;
    UNRESERVED['*'] = true;
    UNRESERVED['_'] = true;
  }

  /** Distinct metric names, statistics and dimension names are a few dozen; the cache stays far below this. */
  private static final int MAX_CACHED_NAMES = 4_096;
  private static final byte[] HEAD = ascii("Action=GetMetricData&Version=2010-08-01");
  private static final byte[][] MEMBER = new byte[QueryPlan.MAX_QUERIES_PER_CALL + 1][];

  static {
    for (int n = 1; n < MEMBER.length; n++) {
      MEMBER[n] = ascii("&MetricDataQueries.member." + n + ".");
    }
  }

  private static final byte[] ID = ascii("Id=q");
  private static final byte[] NAMESPACE = ascii("MetricStat.Metric.Namespace=" + encode(SeriesLister.NAMESPACE));
  private static final byte[] METRIC_NAME = ascii("MetricStat.Metric.MetricName=");
  private static final byte[] DIMENSION = ascii("MetricStat.Metric.Dimensions.member.");
  private static final byte[] NO_DIMENSIONS = ascii("MetricStat.Metric.Dimensions=");
  private static final byte[] NAME = ascii(".Name=");
  private static final byte[] VALUE = ascii(".Value=");
  private static final byte[] PERIOD = ascii("MetricStat.Period=");
  private static final byte[] STAT = ascii("MetricStat.Stat=");
  /** After MetricStat, as the SDK writes MetricDataQuery's members in the model's order. */
  private static final byte[] ACCOUNT_ID = ascii("AccountId=");
  private static final byte[] START_TIME = ascii("&StartTime=");
  private static final byte[] END_TIME = ascii("&EndTime=");
  private static final byte[] NEXT_TOKEN = ascii("&NextToken=");
  private static final byte[] SCAN_BY = ascii("&ScanBy=TimestampAscending");

  /** Bodies of full batches are ~0.4-0.6 MiB; a thread keeps its buffer up to this size for the next call. */
  private static final int MAX_REUSED_BUFFER = 4 << 20;
  private static final int BYTES_PER_QUERY_ESTIMATE = 1_100;

  /**
   * Constant parts whose SHA-256 state is kept: one per call of a poll (3,214 at 1.6 million
   * queries), ~0.5 KiB each. Beyond this many the cache starts over, so replaced plans do not pile up.
   */
  static final int MAX_CACHED_PREFIXES = 16_384;

  /** Whether each query names its series' account: a monitoring account reading linked accounts. */
  private final boolean accountIdPerQuery;
  private final Map<String, byte[]> encodedNames = new ConcurrentHashMap<>();
  /** By CRC-32C of the constant part; the entry holds its length and CRC-32 too, to tell collisions apart. */
  private final Map<Long, HashedPrefix> hashedPrefixes = new ConcurrentHashMap<>();
  /** One buffer per calling thread: a body lives only until its call returns on the same thread. */
  private final ThreadLocal<byte[]> buffers = new ThreadLocal<>();

  /**
   * A written body: {@code length} bytes of {@code bytes}, valid until the thread's next {@link
   * #write}; the first {@code constantLength} bytes are those the same batch sends every poll.
   */
  GetMetricDataForm() {
    this(false);
  }

  /** @param accountIdPerQuery whether each query carries {@code AccountId} (its series' account, when it has one) */
  GetMetricDataForm(boolean accountIdPerQuery) {
    this.accountIdPerQuery = accountIdPerQuery;
  }

  record Body(byte[] bytes, int length, int constantLength) {
    InputStream stream() {
      return new ByteArrayInputStream(bytes, 0, length);
    }
  }

  Body write(List<PlannedQuery> batch, CollectionWindow window, String nextToken) {
    if (batch.size() >= MEMBER.length) {
      throw new IllegalArgumentException("a GetMetricData call takes at most " + QueryPlan.MAX_QUERIES_PER_CALL + " queries");
    }
    byte[] reused = buffers.get();
    Bytes out = reused != null ? new Bytes(reused) : new Bytes(256 + batch.size() * BYTES_PER_QUERY_ESTIMATE);
    out.put(HEAD);
    byte[] period = ascii(Integer.toString(window.periodSeconds()));
    // A series' statistics are adjacent in the plan: its metric name and dimension fields are
    // encoded for its first query and copied, as bytes, for the others.
    MonitoredSeries previous = null;
    int[] fields = new int[2 * 16]; // [start, end) of each series field in the body, after its member prefix
    int fieldCount = 0;
    for (int i = 0; i < batch.size(); i++) {
      PlannedQuery query = batch.get(i);
      byte[] member = MEMBER[i + 1];
      out.put(member).put(ID).putDecimal(i);
      out.put(member).put(NAMESPACE);
      if (query.series == previous) {
        for (int f = 0; f < fieldCount; f += 2) {
          out.put(member).copyOf(fields[f], fields[f + 1]);
        }
      } else {
        previous = query.series;
        List<Dimension> dimensions = query.series.dimensions();
        if (fields.length < 2 * (2 * dimensions.size() + 2)) {
          fields = new int[2 * (2 * dimensions.size() + 2)];
        }
        fieldCount = 0;
        fields[fieldCount++] = out.put(member).length;
        fields[fieldCount++] = out.put(METRIC_NAME).put(name(query.series.metricName())).length;
        if (dimensions.isEmpty()) { // what the SDK sends for an empty, explicitly set list
          fields[fieldCount++] = out.put(member).length;
          fields[fieldCount++] = out.put(NO_DIMENSIONS).length;
        }
        for (int d = 0; d < dimensions.size(); d++) {
          Dimension dimension = dimensions.get(d);
          fields[fieldCount++] = out.put(member).length;
          fields[fieldCount++] = out.put(DIMENSION).putDecimal(d + 1).put(NAME).put(name(dimension.name())).length;
          fields[fieldCount++] = out.put(member).length;
          fields[fieldCount++] = out.put(DIMENSION).putDecimal(d + 1).put(VALUE).putEncoded(dimension.value()).length;
        }
      }
      out.put(member).put(PERIOD).put(period);
      out.put(member).put(STAT).put(name(query.descriptor.statistic()));
      String account = query.series.account();
      if (accountIdPerQuery && account != null) {
        out.put(member).put(ACCOUNT_ID).putEncoded(account);
      }
    }
    int constantLength = out.length;
    out.put(START_TIME).putEncoded(DateUtils.formatIso8601Date(window.start()));
    out.put(END_TIME).putEncoded(DateUtils.formatIso8601Date(window.end()));
    if (nextToken != null) {
      out.put(NEXT_TOKEN).putEncoded(nextToken);
    }
    out.put(SCAN_BY);
    if (out.bytes != reused && out.bytes.length <= MAX_REUSED_BUFFER) {
      buffers.set(out.bytes);
    }
    return new Body(out.bytes, out.length, constantLength);
  }

  /**
   * SHA-256 of the body in lowercase hex, as SigV4 signs it: the digest state after the body's
   * constant part is taken from the cache when an earlier call sent the same part (same length,
   * CRC-32C and CRC-32: two independent 32-bit checks, computed ~10x faster than SHA-256), else
   * computed and kept. A false match would only give a wrong signature, which CloudWatch refuses.
   */
  String payloadSha256(Body body) {
    byte[] b = body.bytes();
    int constant = body.constantLength();
    CRC32C crc32c = new CRC32C();
    crc32c.update(b, 0, constant);
    CRC32 crc32 = new CRC32();
    crc32.update(b, 0, constant);
    Long key = crc32c.getValue();
    HashedPrefix cached = hashedPrefixes.get(key);
    MessageDigest digest;
    if (cached != null && cached.length == constant && cached.crc32 == crc32.getValue()) {
      digest = cached.copyOfState();
    } else {
      digest = sha256();
      digest.update(b, 0, constant);
      if (hashedPrefixes.size() >= MAX_CACHED_PREFIXES) {
        hashedPrefixes.clear();
      }
      HashedPrefix prefix = new HashedPrefix(constant, crc32.getValue(), digest);
      hashedPrefixes.put(key, prefix);
      digest = prefix.copyOfState();
    }
    digest.update(b, constant, body.length() - constant);
    return HexFormat.of().formatHex(digest.digest());
  }

  /** The SHA-256 state after a constant part; never updated, only copied. */
  private static final class HashedPrefix {
    final int length;
    final long crc32;
    private final MessageDigest state;

    HashedPrefix(int length, long crc32, MessageDigest state) {
      this.length = length;
      this.crc32 = crc32;
      this.state = copy(state);
    }

    MessageDigest copyOfState() {
      return copy(state);
    }

    private static MessageDigest copy(MessageDigest digest) {
      try {
        return (MessageDigest) digest.clone();
      } catch (CloneNotSupportedException e) { // the JDK's SHA-256 is cloneable
        throw new IllegalStateException(e);
      }
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) { // every Java platform has SHA-256
      throw new IllegalStateException(e);
    }
  }

  private byte[] name(String name) {
    byte[] encoded = encodedNames.get(name);
    if (encoded == null) {
      encoded = ascii(encode(name));
      if (encodedNames.size() < MAX_CACHED_NAMES) {
        encodedNames.put(name, encoded);
      }
    }
    return encoded;
  }

  /** {@code value} form-encoded as {@code URLEncoder.encode(value, UTF_8)} does it. */
  static String encode(String value) {
    Bytes out = new Bytes(value.length() * 3);
    out.putEncoded(value);
    return new String(out.bytes, 0, out.length, StandardCharsets.US_ASCII);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** A growable byte array. */
  private static final class Bytes {
    private byte[] bytes;
    private int length;

    Bytes(int capacity) {
      bytes = new byte[Math.max(16, capacity)];
    }

    Bytes(byte[] reused) {
      bytes = reused;
    }

    Bytes put(byte[] b) {
      ensure(b.length);
      System.arraycopy(b, 0, bytes, length, b.length);
      length += b.length;
      return this;
    }

    Bytes putDecimal(int n) {
      ensure(11);
      if (n < 10) {
        bytes[length++] = (byte) ('0' + n);
        return this;
      }
      int digits = n < 100 ? 2 : n < 1000 ? 3 : Integer.toString(n).length();
      for (int i = length + digits - 1; i >= length; i--) {
        bytes[i] = (byte) ('0' + n % 10);
        n /= 10;
      }
      length += digits;
      return this;
    }

    Bytes putEncoded(String s) {
      ensure(s.length() * 3);
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c < 128 && UNRESERVED[c]) {
          bytes[length++] = (byte) c;
        } else if (c == ' ') {
          bytes[length++] = '+';
        } else if (c < 128) {
          percent(c);
        } else { // a run of non-ASCII characters, UTF-8 encoded together (surrogate pairs stay pairs)
          int end = i + 1;
          while (end < s.length() && s.charAt(end) >= 128) {
            end++;
          }
          byte[] utf8 = s.substring(i, end).getBytes(StandardCharsets.UTF_8);
          ensure(utf8.length * 3);
          for (byte b : utf8) {
            percent(b & 0xFF);
          }
          i = end - 1;
        }
      }
      return this;
    }

    /** Appends a copy of this body's own bytes [from, to). */
    Bytes copyOf(int from, int to) {
      ensure(to - from);
      System.arraycopy(bytes, from, bytes, length, to - from);
      length += to - from;
      return this;
    }

    private void percent(int b) {
      bytes[length++] = '%';
      bytes[length++] = HEX[b >> 4];
      bytes[length++] = HEX[b & 0xF];
    }

    private void ensure(int more) {
      if (length + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
      }
    }
  }
}
