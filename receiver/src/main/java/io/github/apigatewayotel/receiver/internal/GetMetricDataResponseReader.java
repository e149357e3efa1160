package io.github.apigatewayotel.receiver.internal;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.utils.DateUtils;

/**
 * Reads a GetMetricData answer (awsQuery XML) in one streaming pass over its bytes, without a DOM:
 * each {@code MetricDataResults/member} becomes a {@link MetricDataPage.QueryResult} with epoch-second
 * timestamps and double values; NextToken and messages are kept. Timestamps in CloudWatch's usual
 * {@code 2026-11-24T10:00:00Z} form are converted without text; anything else goes through the SDK's
 * ISO-8601 parser. An answer that is not well-formed, or not a GetMetricDataResponse, fails with
 * an {@link SdkClientException} as the SDK's unmarshaller fails.
 */
final class GetMetricDataResponseReader {

  // element positions the reader cares about; everything else is skipped
  private static final int OTHER = 0;
  private static final int DOCUMENT = 1;
  private static final int ROOT = 2;
  private static final int RESULT = 3;
  private static final int RESULTS = 4;
  private static final int QUERY = 5;
  private static final int ID = 6;
  private static final int STATUS = 7;
  private static final int TIMESTAMPS = 8;
  private static final int TIMESTAMP = 9;
  private static final int VALUES = 10;
  private static final int VALUE = 11;
  private static final int QUERY_MESSAGES = 12;
  private static final int QUERY_MESSAGE = 13;
  private static final int NEXT_TOKEN = 14;
  private static final int MESSAGES = 15;
  private static final int MESSAGE = 16;
  private static final int MESSAGE_CODE = 17;
  private static final int MESSAGE_VALUE = 18;

  private static final byte[] GET_METRIC_DATA_RESPONSE = ascii("GetMetricDataResponse");
  private static final byte[] GET_METRIC_DATA_RESULT = ascii("GetMetricDataResult");
  private static final byte[] METRIC_DATA_RESULTS = ascii("MetricDataResults");
  private static final byte[] MEMBER = ascii("member");
  private static final byte[] ID_TAG = ascii("Id");
  private static final byte[] STATUS_CODE = ascii("StatusCode");
  private static final byte[] TIMESTAMPS_TAG = ascii("Timestamps");
  private static final byte[] VALUES_TAG = ascii("Values");
  private static final byte[] MESSAGES_TAG = ascii("Messages");
  private static final byte[] NEXT_TOKEN_TAG = ascii("NextToken");
  private static final byte[] CODE = ascii("Code");
  private static final byte[] VALUE_TAG = ascii("Value");
  private static final byte[] COMPLETE = ascii(MetricDataPage.COMPLETE);
  private static final byte[] PARTIAL_DATA = ascii(MetricDataPage.PARTIAL_DATA);

  private final XmlScanner xml;
  private final int[] kinds = new int[XmlScanner.MAX_DEPTH + 1];
  private final List<MetricDataPage.QueryResult> results = new ArrayList<>();
  private final List<MetricDataPage.Message> messages = new ArrayList<>();
  private String nextToken;
  // the query being read
  private int index;
  private String status;
  private long[] times = new long[8];
  private int timeCount;
  private double[] values = new double[8];
  private int valueCount;
  private List<MetricDataPage.Message> queryMessages;
  private String messageCode;
  private String messageValue;

  private GetMetricDataResponseReader(byte[] body, int length) {
    this.xml = new XmlScanner(body, length);
  }

  static MetricDataPage read(byte[] body, int length) {
    try {
      return new GetMetricDataResponseReader(body, length).read();
    } catch (XmlScanner.MalformedXmlException | NumberFormatException | DateTimeException e) {
      throw SdkClientException.builder().message("Unable to unmarshall GetMetricData response: " + e.getMessage())
          .cause(e).build();
    }
  }

  private MetricDataPage read() {
    kinds[0] = DOCUMENT;
    for (int event = xml.next(); event != XmlScanner.END_OF_DOCUMENT; event = xml.next()) {
      if (event == XmlScanner.START) {
        int kind = kindOf(kinds[xml.depth() - 1]);
        kinds[xml.depth()] = kind;
        if (kind == QUERY) {
          startQuery();
        }
      } else {
        ended(kinds[xml.depth() + 1]);
      }
    }
    return new MetricDataPage(results, messages.isEmpty() ? List.of() : messages, nextToken);
  }

  private int kindOf(int parent) {
    switch (parent) {
      case DOCUMENT:
        if (!xml.nameIs(GET_METRIC_DATA_RESPONSE)) {
          throw new XmlScanner.MalformedXmlException("not a GetMetricDataResponse: <" + xml.localName() + ">");
        }
        return ROOT;
      case ROOT:
        return xml.nameIs(GET_METRIC_DATA_RESULT) ? RESULT : OTHER;
      case RESULT:
        return xml.nameIs(METRIC_DATA_RESULTS) ? RESULTS : xml.nameIs(NEXT_TOKEN_TAG) ? NEXT_TOKEN
            : xml.nameIs(MESSAGES_TAG) ? MESSAGES : OTHER;
      case RESULTS:
        return xml.nameIs(MEMBER) ? QUERY : OTHER;
      case QUERY:
        return xml.nameIs(ID_TAG) ? ID : xml.nameIs(STATUS_CODE) ? STATUS : xml.nameIs(TIMESTAMPS_TAG) ? TIMESTAMPS
            : xml.nameIs(VALUES_TAG) ? VALUES : xml.nameIs(MESSAGES_TAG) ? QUERY_MESSAGES : OTHER;
      case TIMESTAMPS:
        return xml.nameIs(MEMBER) ? TIMESTAMP : OTHER;
      case VALUES:
        return xml.nameIs(MEMBER) ? VALUE : OTHER;
      case QUERY_MESSAGES:
        return xml.nameIs(MEMBER) ? QUERY_MESSAGE : OTHER;
      case MESSAGES:
        return xml.nameIs(MEMBER) ? MESSAGE : OTHER;
      case QUERY_MESSAGE:
      case MESSAGE:
        return xml.nameIs(CODE) ? MESSAGE_CODE : xml.nameIs(VALUE_TAG) ? MESSAGE_VALUE : OTHER;
      default:
        return OTHER;
    }
  }

  private void ended(int kind) {
    switch (kind) {
      case ID -> index = queryIndex();
      case STATUS -> status = statusCode();
      case TIMESTAMP -> {
        if (timeCount == times.length) {
          times = Arrays.copyOf(times, timeCount * 2);
        }
        times[timeCount++] = epochSecond();
      }
      case VALUE -> {
        if (valueCount == values.length) {
          values = Arrays.copyOf(values, valueCount * 2);
        }
        values[valueCount++] = number();
      }
      case MESSAGE_CODE -> messageCode = xml.text();
      case MESSAGE_VALUE -> messageValue = xml.text();
      case QUERY_MESSAGE -> {
        if (queryMessages == null) {
          queryMessages = new ArrayList<>(2);
        }
        queryMessages.add(takeMessage());
      }
      case MESSAGE -> messages.add(takeMessage());
      case NEXT_TOKEN -> nextToken = xml.text();
      case QUERY -> results.add(new MetricDataPage.QueryResult(index, status, Arrays.copyOf(times, timeCount),
          Arrays.copyOf(values, valueCount), queryMessages == null ? List.of() : queryMessages));
      default -> { }
    }
  }

  private void startQuery() {
    index = -1;
    status = null;
    timeCount = 0;
    valueCount = 0;
    queryMessages = null;
  }

  private MetricDataPage.Message takeMessage() {
    MetricDataPage.Message message = new MetricDataPage.Message(messageCode, messageValue);
    messageCode = null;
    messageValue = null;
    return message;
  }

  /** {@code q<digits>} -> the digits, else -1 (an id this receiver did not send). */
  private int queryIndex() {
    if (!xml.isLeaf() || !xml.contentIsRaw()) {
      return SdkMetricDataFetcher.indexOf(xml.text());
    }
    byte[] b = xml.bytes();
    int from = xml.contentStart();
    int to = xml.contentEnd();
    if (to - from < 2 || to - from > 10 || b[from] != 'q') {
      return -1;
    }
    int value = 0;
    for (int i = from + 1; i < to; i++) {
      if (b[i] < '0' || b[i] > '9') {
        return -1;
      }
      value = value * 10 + (b[i] - '0');
    }
    return value;
  }

  private String statusCode() {
    if (!xml.isLeaf()) {
      return null;
    }
    if (xml.contentIsRaw()) {
      if (rawEquals(COMPLETE)) {
        return MetricDataPage.COMPLETE;
      }
      if (rawEquals(PARTIAL_DATA)) {
        return MetricDataPage.PARTIAL_DATA;
      }
    }
    return xml.text();
  }

  /** CloudWatch's usual {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z} read in place; other ISO-8601 forms via the SDK's parser. */
  private long epochSecond() {
    if (xml.isLeaf() && xml.contentIsRaw()) {
      long seconds = AsciiValues.utcEpochSecond(xml.bytes(), xml.contentStart(), xml.contentEnd());
      if (seconds != AsciiValues.NOT_READ) {
        return seconds;
      }
    }
    return DateUtils.parseIso8601Date(leafText().trim()).getEpochSecond();
  }

  /** The leaf text as a double: short decimals read in place, anything else by {@link Double#parseDouble}. */
  private double number() {
    if (xml.isLeaf() && xml.contentIsRaw()) {
      double value = AsciiValues.shortDecimal(xml.bytes(), xml.contentStart(), xml.contentEnd());
      if (!Double.isNaN(value)) {
        return value;
      }
    }
    return Double.parseDouble(leafText());
  }

  private String leafText() {
    String text = xml.text();
    if (text == null) {
      throw new XmlScanner.MalformedXmlException("a value element holds elements");
    }
    return text;
  }

  private boolean rawEquals(byte[] expected) {
    int s = xml.contentStart();
    if (xml.contentEnd() - s != expected.length) {
      return false;
    }
    byte[] b = xml.bytes();
    for (int i = 0; i < expected.length; i++) {
      if (b[s + i] != expected[i]) {
        return false;
      }
    }
    return true;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
