package io.github.apigatewayotel.receiver.internal;

import java.util.List;

/**
 * One GetMetricData answer, transport-neutral: per query its data in the order CloudWatch sent it,
 * the call's messages, and the token of the next page (null or empty when there is none).
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public record MetricDataPage(List<QueryResult> results, List<Message> messages, String nextToken) {

  /**
   * @param index the query's position in the batch ({@code q<index>}), -1 for an id not ours
   * @param statusCode as CloudWatch spelled it ({@code Complete}, {@code PartialData}, ...), or
   *     null
   * @param timestamps epoch seconds, pairing with {@code values} by position
   */
  public record QueryResult(
      int index, String statusCode, long[] timestamps, double[] values, List<Message> messages) {}

  /** A CloudWatch message ({@code MessageData}): a code and a text. */
  public record Message(String code, String value) {}

  public static final String COMPLETE = "Complete";
  public static final String PARTIAL_DATA = "PartialData";
}
