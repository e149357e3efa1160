package io.github.apigatewayotel.receiver.internal;

import java.util.List;
import java.util.function.Consumer;
import software.amazon.awssdk.services.cloudwatch.model.ListMetricsResponse;
import software.amazon.awssdk.services.cloudwatch.model.Metric;

/** Lists every series of the {@code AWS/ApiGateway} namespace in a region (ListMetrics, paginated). */
public final class SeriesLister {

  public static final String NAMESPACE = "AWS/ApiGateway";
  private final AwsCallRetrier retrier;

  public SeriesLister(AwsCallRetrier retrier) {
    this.retrier = retrier;
  }

  /** Lists every series, handing each page to {@code pages} so no full raw listing is ever held. */
  public int list(AwsClients.RegionClients clients, Consumer<List<Metric>> pages) {
    int count = 0;
    String token = null;
    PageTokens tokens = new PageTokens("cloudwatch:ListMetrics");
    do {
      String current = token;
      ListMetricsResponse page = retrier.call("cloudwatch:ListMetrics",
          () -> clients.cloudWatch().listMetrics(r -> r.namespace(NAMESPACE).nextToken(current)));
      pages.accept(page.metrics());
      count += page.metrics().size();
      token = tokens.next(page.nextToken());
    } while (token != null);
    return count;
  }
}
