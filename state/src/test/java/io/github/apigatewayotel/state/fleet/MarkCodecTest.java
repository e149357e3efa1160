package io.github.apigatewayotel.state.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MarkCodecTest {

  private static final long STEP = 60;
  private static final long NOW = 1_764_806_400L; // a minute boundary

  @Test
  void roundTripsCommonMarksExceptionsAndOddSeconds() throws IOException {
    Map<String, Long> marks = new HashMap<>();
    marks.put("us-east-1|Count|ApiName=a|Sum", NOW);
    marks.put("us-east-1|Count|ApiName=b|Sum", NOW);
    marks.put("us-east-1|Latency|ApiName=a|p99", NOW - 3 * STEP);
    marks.put(
        "123456789012/eu-west-1|Count|ApiId=x,Stage=$default|Sum", NOW + 17); // not a whole period
    marks.put("us-east-1|Count|ApiName=é|Sum", 0L);
    assertThat(MarkCodec.decode(MarkCodec.encode(marks, STEP))).isEqualTo(marks);
    assertThat(MarkCodec.decode(MarkCodec.encode(Map.of(), STEP))).isEmpty();
  }

  @Test
  void damageIsDetectedNotDecodedIntoOtherMarks() {
    byte[] encoded = MarkCodec.encode(generated(10), STEP);
    encoded[encoded.length / 2] ^= 0x5A;
    assertThatThrownBy(() -> MarkCodec.decode(encoded)).isInstanceOf(IOException.class);
    byte[] truncated = java.util.Arrays.copyOf(MarkCodec.encode(generated(10), STEP), 40);
    assertThatThrownBy(() -> MarkCodec.decode(truncated)).isInstanceOf(IOException.class);
  }

  /**
   * The figures of docs/fleet.md: marks of 1,000 and 10,000 APIs in the scale benchmark's shape
   * (RECEIVER_BENCHMARK.md), every query at the common mark but 1 in 50 a few periods behind; API
   * names of 16 random characters (real names compress better).
   */
  @Test
  void theMarksOfTenThousandApisTakeAFewItems() throws IOException {
    for (int apis : new int[] {1_000, 10_000}) {
      Map<String, Long> marks = generated(apis);
      byte[] encoded = MarkCodec.encode(marks, STEP);
      long plain = marks.entrySet().stream().mapToLong(e -> e.getKey().length() + 12L).sum();
      int items =
          (encoded.length + FencedCheckpoints.INLINE_LIMIT - 1) / FencedCheckpoints.INLINE_LIMIT;
      System.out.printf(
          "marks of %,d APIs: %,d queries, %,d bytes as the file's lines, %,d bytes encoded"
              + " (%.2f bytes a query), %d item(s)%n",
          apis, marks.size(), plain, encoded.length, encoded.length / (double) marks.size(), items);
      assertThat(MarkCodec.decode(encoded)).isEqualTo(marks);
      assertThat(marks.size()).isGreaterThan(apis * 100);
      assertThat(encoded.length).isLessThan(marks.size() * 4); // under 4 bytes a query
    }
  }

  /**
   * Keys shaped like the receiver's ({@code region|metric|dimensions|statistic}), about 150 per
   * API.
   */
  static Map<String, Long> generated(int apis) {
    Map<String, Long> marks = new HashMap<>();
    String[] counters = {"Count", "4XXError", "5XXError", "CacheHitCount", "CacheMissCount"};
    String[] latencies = {"Latency", "IntegrationLatency"};
    String[] statistics = {"Average", "Maximum", "p50", "p90", "p99"};
    String[] stages = {"prod", "staging", "dev"};
    int query = 0;
    java.util.Random random = new java.util.Random(apis);
    for (int api = 0; api < apis; api++) {
      String name =
          "ApiName="
              + randomName(random); // API names share little: deflate finds no pattern in them
      java.util.List<String> dimensions = new java.util.ArrayList<>();
      dimensions.add(name);
      for (String stage : stages) {
        dimensions.add(name + ",Stage=" + stage);
        dimensions.add(name + ",Method=GET,Resource=/orders/{id},Stage=" + stage);
        dimensions.add(name + ",Method=POST,Resource=/orders,Stage=" + stage);
      }
      for (String dimension : dimensions) {
        for (String counter : counters) {
          marks.put("us-east-1|" + counter + "|" + dimension + "|Sum", mark(query++));
        }
        for (String latency : latencies) {
          for (String statistic : statistics) {
            marks.put("us-east-1|" + latency + "|" + dimension + "|" + statistic, mark(query++));
          }
        }
      }
    }
    return marks;
  }

  private static String randomName(java.util.Random random) {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder name = new StringBuilder();
    for (int i = 0; i < 16; i++) {
      name.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return name.toString();
  }

  private static long mark(int query) {
    return query % 50 == 7 ? NOW - STEP * (1 + query % 5) : NOW;
  }
}
