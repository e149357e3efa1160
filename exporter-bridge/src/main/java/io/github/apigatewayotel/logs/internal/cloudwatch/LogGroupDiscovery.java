package io.github.apigatewayotel.logs.internal.cloudwatch;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.DescribeLogGroupsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.DescribeLogGroupsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;

/**
 * Finds the log groups whose names start with the configured prefixes (DescribeLogGroups).
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class LogGroupDiscovery {

  public static final String OPERATION = "DescribeLogGroups";

  /** The largest page DescribeLogGroups returns. */
  public static final int MAX_PAGE_SIZE = 50;

  /** Bounds one discovery, in case a token never ends: 200 pages x 50 = 10,000 groups. */
  static final int MAX_PAGES = 200;

  private final CloudWatchLogsClient client;
  private final List<String> prefixes;
  private final CloudWatchLogsSourceMetrics metrics;

  public LogGroupDiscovery(
      CloudWatchLogsClient client,
      Collection<String> prefixes,
      CloudWatchLogsSourceMetrics metrics) {
    this.client = client;
    this.prefixes = List.copyOf(prefixes);
    this.metrics = metrics;
  }

  public boolean hasPrefixes() {
    return !prefixes.isEmpty();
  }

  /**
   * The names of the groups matching any prefix, sorted.
   *
   * @throws RuntimeException what the AWS client threw; the caller classifies it
   */
  public Set<String> discover() {
    Set<String> names = new TreeSet<>();
    for (String prefix : prefixes) {
      String token = null;
      int pages = 0;
      do {
        metrics.request(OPERATION);
        DescribeLogGroupsResponse page =
            client.describeLogGroups(
                DescribeLogGroupsRequest.builder()
                    .logGroupNamePrefix(prefix)
                    .limit(MAX_PAGE_SIZE)
                    .nextToken(token)
                    .build());
        for (LogGroup group : page.logGroups()) {
          names.add(group.logGroupName());
        }
        String next = page.nextToken();
        token = next == null || next.isEmpty() || next.equals(token) ? null : next;
      } while (token != null && ++pages < MAX_PAGES);
    }
    return names;
  }
}
