package io.github.apigatewayotel.logs;

import java.util.List;

/**
 * What one {@link CloudWatchLogsSource#pollOnce()} did.
 *
 * @param groupsRead log groups read to now in this poll
 * @param problems what went wrong (a group that could not be read, discovery that failed), each as
 *     logged; empty when everything worked
 */
public record CloudWatchLogsPoll(int groupsRead, List<String> problems) {

  public CloudWatchLogsPoll {
    problems = List.copyOf(problems);
  }

  /** Whether nothing went wrong. */
  public boolean succeeded() {
    return problems.isEmpty();
  }
}
