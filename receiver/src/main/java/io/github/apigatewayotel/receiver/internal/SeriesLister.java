package io.github.apigatewayotel.receiver.internal;

import java.util.List;
import software.amazon.awssdk.services.cloudwatch.model.ListMetricsResponse;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.RecentlyActive;

/**
 * Lists the series of the {@code AWS/ApiGateway} namespace in a region (ListMetrics, paginated): by
 * default only those with datapoints in the past three hours ({@code RecentlyActive=PT3H}), since a
 * series without data costs a metric request every poll and returns nothing; else every series
 * CloudWatch keeps (two weeks after its last datapoint). In a CloudWatch cross-account
 * observability monitoring account, optionally its linked source accounts' series too ({@code
 * IncludeLinkedAccounts}), each with its owning account.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class SeriesLister {

  public static final String NAMESPACE = "AWS/ApiGateway";
  private final AwsCallRetrier retrier;
  private final boolean recentlyActiveOnly;

  /**
   * Takes one page: its series and, with linked accounts, their owning accounts (parallel; else
   * empty).
   */
  @FunctionalInterface
  public interface PageConsumer {
    void accept(List<Metric> metrics, List<String> owningAccounts);
  }

  public SeriesLister(AwsCallRetrier retrier, boolean recentlyActiveOnly) {
    this.retrier = retrier;
    this.recentlyActiveOnly = recentlyActiveOnly;
  }

  /**
   * Lists every series, with the linked source accounts' when {@code includeLinkedAccounts},
   * handing each page to {@code pages} so no full raw listing is ever held.
   */
  public int list(
      AwsClients.RegionClients clients, boolean includeLinkedAccounts, PageConsumer pages) {
    int count = 0;
    String token = null;
    PageTokens tokens = new PageTokens("cloudwatch:ListMetrics");
    Boolean linked = includeLinkedAccounts ? Boolean.TRUE : null; // not sent unless asked for
    do {
      String current = token;
      ListMetricsResponse page =
          retrier.call(
              "cloudwatch:ListMetrics",
              () ->
                  clients
                      .cloudWatch()
                      .listMetrics(
                          r ->
                              r.namespace(NAMESPACE)
                                  .nextToken(current)
                                  .includeLinkedAccounts(linked)
                                  .recentlyActive(
                                      recentlyActiveOnly ? RecentlyActive.PT3_H : null)));
      pages.accept(page.metrics(), page.owningAccounts());
      count += page.metrics().size();
      token = tokens.next(page.nextToken());
    } while (token != null);
    return count;
  }
}
