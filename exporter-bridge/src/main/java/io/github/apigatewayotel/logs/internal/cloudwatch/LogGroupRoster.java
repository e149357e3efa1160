package io.github.apigatewayotel.logs.internal.cloudwatch;

import io.github.apigatewayotel.state.internal.AwsProblem;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The log groups a CloudWatch Logs source reads: the named ones, those its suppliers name (e.g.
 * stages' access-log groups) and what discovery finds by prefix, refreshed every discovery
 * interval. When discovery fails (a role without logs:DescribeLogGroups, an outage), the groups it
 * found last are kept, and it is tried again after a backoff of its own while the known groups are
 * read on.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class LogGroupRoster {

  private final Set<String> names;
  private final List<Supplier<? extends Collection<String>>> suppliers;
  private final LogGroupDiscovery discovery;

  /** Backs off discovery alone: reading the known groups goes on meanwhile. */
  private final RetryBackoff backoff;

  private final long intervalMillis;
  private final CloudWatchLogsSourceMetrics metrics;
  private final SourceProblems problems;

  /** The source's logger: users configure it. */
  private final Logger logger;

  private volatile Set<String> groups = Set.of();

  /** What the last successful discovery found, kept while discovery fails. */
  private Set<String> discovered = Set.of();

  private long nextDiscoveryMillis = Long.MIN_VALUE;

  public LogGroupRoster(
      Collection<String> names,
      List<Supplier<? extends Collection<String>>> suppliers,
      LogGroupDiscovery discovery,
      Duration interval,
      DoubleSupplier random,
      CloudWatchLogsSourceMetrics metrics,
      SourceProblems problems,
      Logger logger) {
    this.names = Set.copyOf(names);
    this.suppliers = List.copyOf(suppliers);
    this.discovery = discovery;
    this.backoff = new RetryBackoff(random);
    this.intervalMillis = interval.toMillis();
    this.metrics = metrics;
    this.problems = problems;
    this.logger = logger;
  }

  /** The groups read in the current cycle. */
  public Set<String> groups() {
    return groups;
  }

  /** Sets the groups when discovery is due; returns whether it was. */
  public boolean refreshIfDue(long now) {
    if (now < nextDiscoveryMillis) {
      return false;
    }
    Set<String> found = new LinkedHashSet<>(names);
    addSuppliedNames(found);
    nextDiscoveryMillis = now + intervalMillis;
    if (discovery.hasPrefixes()) {
      try {
        discovered = discovery.discover();
        backoff.succeeded();
        problems.cleared(SourceProblems.DISCOVERY);
      } catch (RuntimeException e) {
        AwsProblem problem = AwsProblem.of(e, "logs:" + LogGroupDiscovery.OPERATION);
        AwsFailure failure = AwsFailure.of(problem);
        metrics.error(LogGroupDiscovery.OPERATION, failure.errorType());
        Duration delay = backoff.failed(now);
        nextDiscoveryMillis = now + Math.min(delay.toMillis(), intervalMillis);
        problems.report(SourceProblems.DISCOVERY, failure, problem, delay);
      }
    }
    found.addAll(discovered);
    if (!found.equals(groups)) {
      logger.log(Level.INFO, "CloudWatch Logs: reading log groups {0}", found);
    }
    groups = Collections.unmodifiableSet(found);
    return true;
  }

  /** Names from the suppliers; a failing one adds nothing. */
  private void addSuppliedNames(Set<String> found) {
    for (Supplier<? extends Collection<String>> supplier : suppliers) {
      try {
        Collection<String> supplied = supplier.get();
        if (supplied != null) {
          supplied.stream().filter(name -> name != null && !name.isBlank()).forEach(found::add);
        }
      } catch (RuntimeException e) {
        metrics.error("LogGroupNameSupplier", "supplier");
        problems.warnOnce(
            SourceProblems.DISCOVERY,
            "supplier",
            "A log group name supplier failed; its groups are skipped",
            e);
      }
    }
  }

  /** A group that no longer exists: read no more, until a discovery finds it again. */
  public void drop(String group) {
    Set<String> remaining = new LinkedHashSet<>(groups);
    remaining.remove(group);
    groups = Collections.unmodifiableSet(remaining);
    if (discovered.contains(group)) {
      Set<String> stillThere = new LinkedHashSet<>(discovered);
      stillThere.remove(group);
      discovered = stillThere;
    }
  }
}
