package io.github.apigatewayotel.receiver.internal;

import io.github.apigatewayotel.state.internal.AwsProblem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.apigateway.model.GetRestApisResponse;
import software.amazon.awssdk.services.apigateway.model.RestApi;
import software.amazon.awssdk.services.apigatewayv2.model.Api;
import software.amazon.awssdk.services.apigatewayv2.model.GetApisResponse;
import software.amazon.awssdk.services.apigatewayv2.model.ProtocolType;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.GetResourcesResponse;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.ResourceTagMapping;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.Tag;

/**
 * Discovers the APIs of one region: apigateway GetRestApis and apigatewayv2 GetApis (paginated)
 * give ids, names, types and API tags; tag:GetResources gives stage tags in a few calls whatever
 * the number of stages (no per-API GetStages calls, which API Gateway throttles hard). Stages
 * themselves come from CloudWatch's Stage dimension.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class ApiInventoryLoader {

  /** GetRestApis accepts at most 500 per page. */
  static final int REST_API_PAGE_SIZE = 500;

  static final String V2_PAGE_SIZE = "500";

  /** tag:GetResources returns at most 100 resources per page. */
  static final int TAGGING_PAGE_SIZE = 100;

  static final String TAGGING_RESOURCE_TYPE = "apigateway";

  private final AwsCallRetrier retrier;
  private final ProblemLog problems;
  private final SharedRestNameWarnings sharedNames;

  public ApiInventoryLoader(
      AwsCallRetrier retrier, ProblemLog problems, ReceiverTelemetry telemetry) {
    this.retrier = retrier;
    this.problems = problems;
    this.sharedNames = new SharedRestNameWarnings(telemetry);
  }

  /** Loads the inventory; throws if the APIs cannot be listed (tags are optional). */
  public ApiInventory load(String region, AwsClients.RegionClients clients) {
    return load("", region, clients);
  }

  /**
   * As {@link #load(String, AwsClients.RegionClients)}, for one of several accounts the receiver
   * reads ({@code account} names it in warnings; empty for a receiver of one account).
   */
  public ApiInventory load(String account, String region, AwsClients.RegionClients clients) {
    List<DiscoveredApi> apis = new ArrayList<>();
    String position = null;
    PageTokens positions = new PageTokens("apigateway:GetRestApis");
    do {
      String current = position;
      GetRestApisResponse page =
          retrier.call(
              "apigateway:GetRestApis",
              () ->
                  clients
                      .apiGateway()
                      .getRestApis(r -> r.limit(REST_API_PAGE_SIZE).position(current)));
      for (RestApi api : page.items()) {
        apis.add(
            new DiscoveredApi(
                region,
                ApiType.REST,
                api.id(),
                api.name(),
                DiscoveredApi.cloudWatchName(api.name(), api.id()),
                api.tags()));
      }
      position = positions.next(page.position());
    } while (position != null);

    String nextToken = null;
    PageTokens v2Tokens = new PageTokens("apigatewayv2:GetApis");
    do {
      String current = nextToken;
      GetApisResponse page =
          retrier.call(
              "apigatewayv2:GetApis",
              () ->
                  clients
                      .apiGatewayV2()
                      .getApis(r -> r.maxResults(V2_PAGE_SIZE).nextToken(current)));
      for (Api api : page.items()) {
        ApiType type =
            api.protocolType() == ProtocolType.WEBSOCKET ? ApiType.WEBSOCKET : ApiType.HTTP;
        apis.add(new DiscoveredApi(region, type, api.apiId(), api.name(), api.name(), api.tags()));
      }
      nextToken = v2Tokens.next(page.nextToken());
    } while (nextToken != null);

    ApiInventory inventory = new ApiInventory(apis, loadStageTags(account, region, clients));
    sharedNames.discovered(account, region, inventory.sharedRestNames());
    return inventory;
  }

  private static String where(String account) {
    return account.isEmpty() ? "" : " of account " + account;
  }

  private Map<String, Map<String, String>> loadStageTags(
      String account, String region, AwsClients.RegionClients clients) {
    Map<String, Map<String, String>> tagsByArn = new HashMap<>();
    try {
      String token = "";
      PageTokens tagTokens = new PageTokens("tag:GetResources");
      do {
        String current = token;
        GetResourcesResponse page =
            retrier.call(
                "tag:GetResources",
                () ->
                    clients
                        .tagging()
                        .getResources(
                            r ->
                                r.resourceTypeFilters(TAGGING_RESOURCE_TYPE)
                                    .resourcesPerPage(TAGGING_PAGE_SIZE)
                                    .paginationToken(current.isEmpty() ? null : current)));
        for (ResourceTagMapping mapping : page.resourceTagMappingList()) {
          if (mapping.resourceARN().contains("/stages/")) {
            Map<String, String> tags = new HashMap<>();
            for (Tag tag : mapping.tags()) {
              tags.put(tag.key(), tag.value());
            }
            tagsByArn.put(mapping.resourceARN(), tags);
          }
        }
        String next = tagTokens.next(page.paginationToken());
        token = next == null ? "" : next;
      } while (!token.isEmpty());
      problems.resolved(
          "tagging:" + account + region,
          "tag:GetResources works again in " + region + where(account));
    } catch (SdkException e) {
      problems.problem(
          "tagging:" + account + region,
          "apigateway-otel receiver: cannot read stage tags in "
              + region
              + where(account)
              + " with tag:GetResources: "
              + AwsProblem.of(e, "tag:GetResources").describe()
              + ". Metrics keep the APIs' own tags only.",
          null);
    }
    return tagsByArn;
  }
}
