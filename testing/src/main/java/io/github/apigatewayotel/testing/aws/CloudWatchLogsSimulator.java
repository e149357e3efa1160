package io.github.apigatewayotel.testing.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A simulated CloudWatch Logs (signing name {@code logs}, awsJson 1.1, {@code X-Amz-Target:
 * Logs_20140328.<Op>}): log groups holding events, {@code FilterLogEvents} with {@code nextToken}
 * pagination, {@code DescribeLogGroups} with {@code logGroupNamePrefix} and pagination, and {@code
 * GetLogEvents}.
 *
 * <p>Like the real service, {@code FilterLogEvents} returns events ordered by timestamp, then
 * ingestion order; {@code startTime} and {@code endTime} are both inclusive; a page may be empty
 * while a {@code nextToken} is still returned ({@link #setEmptyFirstPage}). The token is a cursor
 * after the last event returned, so an event ingested late with an older timestamp is not seen by a
 * pagination already past it: only a new query finds it, as with the real service.
 */
public final class CloudWatchLogsSimulator implements AwsServiceHandler {

  /** The most events one FilterLogEvents page holds (AWS: 10,000 or 1 MB). */
  public static final int MAX_FILTER_PAGE_SIZE = 10_000;

  /** The most groups one DescribeLogGroups page holds (AWS: 50). */
  public static final int MAX_DESCRIBE_PAGE_SIZE = 50;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Comparator<StoredEvent> CLOUDWATCH_ORDER =
      Comparator.comparingLong(StoredEvent::timestamp).thenComparingLong(StoredEvent::sequence);

  /** One event as stored: {@code sequence} is the ingestion order across the simulator. */
  public record StoredEvent(
      String logStream, long timestamp, long sequence, String message, String eventId) {}

  /** One FilterLogEvents request as received, for tests that assert what the client asked. */
  public record FilterRequest(
      String logGroupName, Long startTime, Long endTime, String nextToken, Integer limit) {}

  private final String accountId;
  private final Map<String, List<StoredEvent>> groups = new TreeMap<>();
  private final Map<String, Long> creationTimes = new TreeMap<>();
  private final List<FilterRequest> filterRequests = new CopyOnWriteArrayList<>();
  private long nextSequence = 1;
  private int filterPageSize = MAX_FILTER_PAGE_SIZE;
  private int describePageSize = MAX_DESCRIBE_PAGE_SIZE;
  private boolean emptyFirstPage;

  public CloudWatchLogsSimulator() {
    this("123456789012");
  }

  /** A simulator whose log group ARNs name {@code accountId}. */
  public CloudWatchLogsSimulator(String accountId) {
    this.accountId = accountId;
  }

  @Override
  public String signingName() {
    return "logs";
  }

  public synchronized CloudWatchLogsSimulator createLogGroup(String name) {
    groups.putIfAbsent(name, new ArrayList<>());
    creationTimes.putIfAbsent(name, System.currentTimeMillis());
    return this;
  }

  public synchronized CloudWatchLogsSimulator deleteLogGroup(String name) {
    groups.remove(name);
    creationTimes.remove(name);
    return this;
  }

  /** Ingests one event now (creating the group if needed) and returns its event id. */
  public synchronized String putLogEvent(
      String logGroup, String logStream, long timestamp, String message) {
    createLogGroup(logGroup);
    long sequence = nextSequence++;
    String eventId = String.format("%020d%020d%016d", timestamp, sequence, 0L);
    groups.get(logGroup).add(new StoredEvent(logStream, timestamp, sequence, message, eventId));
    return eventId;
  }

  /** Ingests several events sharing one timestamp, in order; returns their ids. */
  public synchronized List<String> putLogEvents(
      String logGroup, String logStream, long timestamp, List<String> messages) {
    List<String> ids = new ArrayList<>();
    for (String message : messages) {
      ids.add(putLogEvent(logGroup, logStream, timestamp, message));
    }
    return ids;
  }

  /** The events of a group in CloudWatch order. */
  public synchronized List<StoredEvent> events(String logGroup) {
    List<StoredEvent> events = new ArrayList<>(groups.getOrDefault(logGroup, List.of()));
    events.sort(CLOUDWATCH_ORDER);
    return events;
  }

  /** Caps FilterLogEvents pages (below the client's {@code limit}), to exercise pagination. */
  public synchronized CloudWatchLogsSimulator setFilterPageSize(int pageSize) {
    if (pageSize < 1 || pageSize > MAX_FILTER_PAGE_SIZE) {
      throw new IllegalArgumentException("pageSize must be in 1.." + MAX_FILTER_PAGE_SIZE);
    }
    this.filterPageSize = pageSize;
    return this;
  }

  /** Caps DescribeLogGroups pages, to exercise pagination. */
  public synchronized CloudWatchLogsSimulator setDescribePageSize(int pageSize) {
    if (pageSize < 1 || pageSize > MAX_DESCRIBE_PAGE_SIZE) {
      throw new IllegalArgumentException("pageSize must be in 1.." + MAX_DESCRIBE_PAGE_SIZE);
    }
    this.describePageSize = pageSize;
    return this;
  }

  /** When set, the first page of every FilterLogEvents query is empty but carries a nextToken. */
  public synchronized CloudWatchLogsSimulator setEmptyFirstPage(boolean emptyFirstPage) {
    this.emptyFirstPage = emptyFirstPage;
    return this;
  }

  /** Every FilterLogEvents request received, in order. */
  public List<FilterRequest> filterRequests() {
    return List.copyOf(filterRequests);
  }

  @Override
  public synchronized AwsResponse handle(AwsRequest request) {
    JsonNode body;
    try {
      body = request.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(request.body());
    } catch (Exception e) {
      return AwsResponse.jsonError(400, "SerializationException", "body is not JSON");
    }
    String operation = request.jsonTarget();
    try {
      if ("FilterLogEvents".equals(operation)) {
        return filterLogEvents(body);
      }
      if ("DescribeLogGroups".equals(operation)) {
        return describeLogGroups(body, request.region());
      }
      if ("GetLogEvents".equals(operation)) {
        return getLogEvents(body);
      }
    } catch (InvalidParameter e) {
      return AwsResponse.jsonError(400, "InvalidParameterException", e.getMessage());
    }
    return AwsResponse.jsonError(
        400, "UnknownOperationException", "operation not simulated: " + operation);
  }

  private AwsResponse filterLogEvents(JsonNode body) {
    String group = groupName(body);
    Long startTime = optionalLong(body, "startTime");
    Long endTime = optionalLong(body, "endTime");
    Integer limit = body.hasNonNull("limit") ? body.get("limit").asInt() : null;
    String token = text(body, "nextToken");
    filterRequests.add(new FilterRequest(group, startTime, endTime, token, limit));
    if (!groups.containsKey(group)) {
      return AwsResponse.jsonError(
          400, "ResourceNotFoundException", "The specified log group does not exist.");
    }
    if (limit != null && (limit < 1 || limit > MAX_FILTER_PAGE_SIZE)) {
      throw new InvalidParameter("limit must be in 1.." + MAX_FILTER_PAGE_SIZE);
    }
    Set<String> streams = new HashSet<>();
    if (body.has("logStreamNames")) {
      body.get("logStreamNames").forEach(node -> streams.add(node.asText()));
    }
    Cursor cursor = token == null ? Cursor.START : Cursor.decode(token, group);
    ObjectNode response = JSON.createObjectNode();
    ArrayNode events = response.putArray("events");
    response.putArray("searchedLogStreams");
    if (emptyFirstPage && !cursor.pastEmptyPage) {
      response.put(
          "nextToken", new Cursor(cursor.afterTimestamp, cursor.afterSequence, true).encode(group));
      return json(response);
    }
    int pageSize = Math.min(filterPageSize, limit == null ? MAX_FILTER_PAGE_SIZE : limit);
    List<StoredEvent> matching = new ArrayList<>();
    for (StoredEvent event : events(group)) {
      if ((startTime == null || event.timestamp >= startTime)
          && (endTime == null || event.timestamp <= endTime)
          && (streams.isEmpty() || streams.contains(event.logStream))
          && cursor.isBefore(event)) {
        matching.add(event);
      }
    }
    List<StoredEvent> page = matching.subList(0, Math.min(pageSize, matching.size()));
    for (StoredEvent event : page) {
      ObjectNode node = events.addObject();
      node.put("logStreamName", event.logStream);
      node.put("timestamp", event.timestamp);
      node.put("message", event.message);
      node.put("ingestionTime", event.timestamp + event.sequence);
      node.put("eventId", event.eventId);
    }
    if (matching.size() > page.size()) {
      StoredEvent last = page.get(page.size() - 1);
      response.put("nextToken", new Cursor(last.timestamp, last.sequence, true).encode(group));
    }
    return json(response);
  }

  private AwsResponse getLogEvents(JsonNode body) {
    String group = groupName(body);
    String stream = text(body, "logStreamName");
    if (!groups.containsKey(group)) {
      return AwsResponse.jsonError(
          400, "ResourceNotFoundException", "The specified log group does not exist.");
    }
    ObjectNode response = JSON.createObjectNode();
    ArrayNode events = response.putArray("events");
    for (StoredEvent event : events(group)) {
      if (event.logStream.equals(stream)) {
        ObjectNode node = events.addObject();
        node.put("timestamp", event.timestamp);
        node.put("message", event.message);
        node.put("ingestionTime", event.timestamp + event.sequence);
      }
    }
    response.put("nextForwardToken", "f/end");
    response.put("nextBackwardToken", "b/start");
    return json(response);
  }

  private AwsResponse describeLogGroups(JsonNode body, String region) {
    String prefix = text(body, "logGroupNamePrefix");
    String token = text(body, "nextToken");
    Integer limit = body.hasNonNull("limit") ? body.get("limit").asInt() : null;
    if (limit != null && (limit < 1 || limit > MAX_DESCRIBE_PAGE_SIZE)) {
      throw new InvalidParameter("limit must be in 1.." + MAX_DESCRIBE_PAGE_SIZE);
    }
    String after = token == null ? null : decodeText(token);
    int pageSize = Math.min(describePageSize, limit == null ? MAX_DESCRIBE_PAGE_SIZE : limit);
    List<String> names = new ArrayList<>();
    for (String name : groups.keySet()) {
      if ((prefix == null || name.startsWith(prefix))
          && (after == null || name.compareTo(after) > 0)) {
        names.add(name);
      }
    }
    ObjectNode response = JSON.createObjectNode();
    ArrayNode array = response.putArray("logGroups");
    List<String> page = names.subList(0, Math.min(pageSize, names.size()));
    for (String name : page) {
      ObjectNode node = array.addObject();
      node.put("logGroupName", name);
      node.put("creationTime", creationTimes.get(name));
      node.put("metricFilterCount", 0);
      node.put(
          "arn",
          "arn:aws:logs:"
              + (region == null ? "us-east-1" : region)
              + ":"
              + accountId
              + ":log-group:"
              + name
              + ":*");
      node.put("storedBytes", 0);
    }
    if (names.size() > page.size()) {
      response.put("nextToken", encodeText(page.get(page.size() - 1)));
    }
    return json(response);
  }

  private static String groupName(JsonNode body) {
    String name = text(body, "logGroupName");
    String identifier = text(body, "logGroupIdentifier");
    if ((name == null) == (identifier == null)) {
      throw new InvalidParameter("exactly one of logGroupName and logGroupIdentifier is required");
    }
    if (name != null) {
      return name;
    }
    // An identifier is a name or an ARN ending in log-group:NAME or log-group:NAME:*.
    int index = identifier.indexOf(":log-group:");
    if (index < 0) {
      return identifier;
    }
    String rest = identifier.substring(index + ":log-group:".length());
    return rest.endsWith(":*") ? rest.substring(0, rest.length() - 2) : rest;
  }

  private static String text(JsonNode body, String field) {
    JsonNode node = body.get(field);
    return node == null || node.isNull() ? null : node.asText();
  }

  private static Long optionalLong(JsonNode body, String field) {
    JsonNode node = body.get(field);
    return node == null || node.isNull() ? null : node.asLong();
  }

  private static AwsResponse json(ObjectNode response) {
    try {
      return AwsResponse.awsJson(200, JSON.writeValueAsString(response));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String encodeText(String text) {
    return Base64.getUrlEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeText(String token) {
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new InvalidParameter("The specified nextToken is invalid.");
    }
  }

  /** Where a pagination stands: after which event, and whether the empty page was served. */
  private record Cursor(long afterTimestamp, long afterSequence, boolean pastEmptyPage) {
    static final Cursor START = new Cursor(Long.MIN_VALUE, Long.MIN_VALUE, false);

    boolean isBefore(StoredEvent event) {
      return event.timestamp > afterTimestamp
          || (event.timestamp == afterTimestamp && event.sequence > afterSequence);
    }

    String encode(String group) {
      return encodeText(group + "\n" + afterTimestamp + "\n" + afterSequence);
    }

    static Cursor decode(String token, String group) {
      String[] parts = decodeText(token).split("\n");
      if (parts.length != 3 || !parts[0].equals(group)) {
        throw new InvalidParameter("The specified nextToken is invalid.");
      }
      try {
        return new Cursor(Long.parseLong(parts[1]), Long.parseLong(parts[2]), true);
      } catch (NumberFormatException e) {
        throw new InvalidParameter("The specified nextToken is invalid.");
      }
    }
  }

  private static final class InvalidParameter extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidParameter(String message) {
      super(message);
    }
  }
}
