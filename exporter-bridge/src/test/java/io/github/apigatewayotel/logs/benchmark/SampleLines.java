package io.github.apigatewayotel.logs.benchmark;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;

/** Realistic, varied access-log lines of the same requests in each named format. */
final class SampleLines {

  static final int COUNT = 1024;
  private static final DateTimeFormatter CLF =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
          .withZone(ZoneOffset.UTC);
  private static final String[] METHODS = {"GET", "GET", "GET", "POST", "PUT", "DELETE"};
  private static final String[] PATHS = {"/pets", "/pets/{petId}", "/orders/{id}/items", "/health"};
  private static final int[] STATUSES = {200, 200, 200, 200, 201, 204, 304, 404, 429, 502};

  private SampleLines() {}

  /**
   * A JSON format with what the request metrics read beyond the seed's: latencies and the X-Ray
   * trace id (so every histogram and the exemplars are exercised).
   */
  static final String LATENCY_JSON_FORMAT =
      "{\"apiId\": \"$context.apiId\", \"stage\": \"$context.stage\", \"requestId\":\"$context.requestId\","
          + " \"requestTime\":$context.requestTimeEpoch, \"httpMethod\":\"$context.httpMethod\","
          + " \"resourcePath\":\"$context.resourcePath\", \"status\":$context.status,"
          + " \"responseLength\":$context.responseLength, \"responseLatency\":$context.responseLatency,"
          + " \"integrationLatency\":$context.integrationLatency, \"xrayTraceId\":\"$context.xrayTraceId\"}";

  /** The compiled format of {@link #lines}'s {@code format} name. */
  static io.github.apigatewayotel.logs.AccessLogFormat format(String format) {
    return io.github.apigatewayotel.logs.AccessLogFormat.of(
        format.equals("json-latency") ? LATENCY_JSON_FORMAT : format);
  }

  static String[] lines(String format) {
    return lines(format, 1_764_000_000_000L, 86_400_000);
  }

  /**
   * The lines of {@code format} ({@code json}, {@code clf}, {@code csv}, {@code xml}, or {@code
   * json-latency} for {@link #LATENCY_JSON_FORMAT}), requests made in {@code [start, start +
   * spreadMillis)}.
   */
  static String[] lines(String format, long start, int spreadMillis) {
    Random random = new Random(42);
    String[] lines = new String[COUNT];
    for (int i = 0; i < COUNT; i++) {
      String requestId = new java.util.UUID(random.nextLong(), random.nextLong()).toString();
      String extended = Long.toString(random.nextLong() & Long.MAX_VALUE, 36) + "=";
      String ip = "203.0." + random.nextInt(256) + "." + random.nextInt(256);
      long epoch = start + random.nextInt(spreadMillis);
      String time = CLF.format(Instant.ofEpochMilli(epoch));
      String method = METHODS[random.nextInt(METHODS.length)];
      String path = PATHS[random.nextInt(PATHS.length)];
      int status = STATUSES[random.nextInt(STATUSES.length)];
      int length = random.nextInt(20_000);
      lines[i] =
          switch (format) {
            case "json" ->
                "{\"apiId\": \"a1b2c3d4e5\", \"stage\": \"prod\", \"requestId\":\""
                    + requestId
                    + "\", \"ip\":\""
                    + ip
                    + "\", \"caller\":\"-\", \"user\":\"-\", \"requestTime\":"
                    + epoch
                    + ", \"httpMethod\":\""
                    + method
                    + "\", \"resourcePath\":\""
                    + path
                    + "\", \"status\":"
                    + status
                    + ", \"protocol\":\"HTTP/1.1\", \"responseLength\":"
                    + length
                    + "}";
            case "clf" ->
                ip
                    + " - - ["
                    + time
                    + "]\""
                    + method
                    + " "
                    + path
                    + " HTTP/1.1\" "
                    + status
                    + " "
                    + length
                    + " "
                    + requestId
                    + " "
                    + extended;
            case "csv" ->
                ip
                    + ",-,-,"
                    + time
                    + ","
                    + method
                    + ","
                    + path
                    + ",HTTP/1.1,"
                    + status
                    + ","
                    + length
                    + ","
                    + requestId
                    + ","
                    + extended;
            case "xml" ->
                "<request id=\""
                    + requestId
                    + "\"> <extendedRequestId>"
                    + extended
                    + "</extendedRequestId> <ip>"
                    + ip
                    + "</ip> <caller>-</caller> <user>-</user>"
                    + " <requestTime>"
                    + time
                    + "</requestTime> <httpMethod>"
                    + method
                    + "</httpMethod> <resourcePath>"
                    + path
                    + "</resourcePath> <status>"
                    + status
                    + "</status> <protocol>HTTP/1.1</protocol> <responseLength>"
                    + length
                    + "</responseLength> </request>";
            case "json-latency" ->
                "{\"apiId\": \"a1b2c3d4e5\", \"stage\": \"prod\", \"requestId\":\""
                    + requestId
                    + "\", \"requestTime\":"
                    + epoch
                    + ", \"httpMethod\":\""
                    + method
                    + "\", \"resourcePath\":\""
                    + path
                    + "\", \"status\":"
                    + status
                    + ", \"responseLength\":"
                    + length
                    + ", \"responseLatency\":"
                    + (3 + length % 900)
                    + ", \"integrationLatency\":"
                    + (length % 900)
                    + ", \"xrayTraceId\":\"1-"
                    + Long.toHexString(epoch / 1000)
                    + "-"
                    + requestId.replace("-", "").substring(0, 24)
                    + "\"}";
            default -> throw new IllegalArgumentException(format);
          };
    }
    return lines;
  }
}
