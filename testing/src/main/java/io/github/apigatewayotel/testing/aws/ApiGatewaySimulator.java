package io.github.apigatewayotel.testing.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * API Gateway ({@code apigateway}, restJson1) over a {@link SimulatedAccount}: v1 {@code GET
 * /restapis}, {@code /restapis/{id}/stages}, {@code /tags/{arn}} and v2 {@code GET /v2/apis},
 * {@code /v2/apis/{id}/stages}, paginated as AWS does (v1 {@code limit}/{@code position}, at most
 * 500; v2 {@code maxResults}/{@code nextToken}).
 */
public final class ApiGatewaySimulator implements AwsServiceHandler {

  public static final int MAX_PAGE_SIZE = 500;
  private static final int DEFAULT_V1_PAGE_SIZE = 25;

  private static final ObjectMapper JSON = new ObjectMapper();
  private final SimulatedAccount account;

  public ApiGatewaySimulator(SimulatedAccount account) {
    this.account = account;
  }

  @Override
  public String signingName() {
    return "apigateway";
  }

  @Override
  public AwsResponse handle(AwsRequest request) {
    if (!"GET".equals(request.method())) {
      return AwsResponse.restError(400, "BadRequestException", "read-only simulation");
    }
    String[] parts = request.path().split("/");
    String region = request.region();
    Map<String, String> query = request.queryParameters();
    try {
      if (parts.length == 2 && parts[1].equals("restapis")) {
        return restApis(region, query);
      }
      if (parts.length == 4 && parts[1].equals("restapis") && parts[3].equals("stages")) {
        return stages(region, decode(parts[2]), SimulatedAccount.ApiType.REST, Map.of());
      }
      if (parts.length >= 3 && parts[1].equals("tags")) {
        String arn = decode(request.path().substring("/tags/".length()));
        return tags(region, arn);
      }
      if (parts.length == 3 && parts[1].equals("v2") && parts[2].equals("apis")) {
        return v2Apis(region, query);
      }
      if (parts.length == 5
          && parts[1].equals("v2")
          && parts[2].equals("apis")
          && parts[4].equals("stages")) {
        return stages(region, decode(parts[3]), null, query);
      }
    } catch (JsonProcessingException e) {
      return AwsResponse.restError(500, "InternalServerErrorException", e.getMessage());
    }
    return AwsResponse.restError(404, "NotFoundException", "no route " + request.path());
  }

  private AwsResponse restApis(String region, Map<String, String> query)
      throws JsonProcessingException {
    List<SimulatedAccount.Api> apis =
        account.listedApis(region).stream()
            .filter(a -> a.type() == SimulatedAccount.ApiType.REST)
            .toList();
    int limit = pageSize(query.get("limit"), DEFAULT_V1_PAGE_SIZE);
    int start = query.containsKey("position") ? Integer.parseInt(query.get("position")) : 0;
    ObjectNode body = JSON.createObjectNode();
    ArrayNode items = body.putArray("item");
    for (int i = start; i < Math.min(apis.size(), start + limit); i++) {
      SimulatedAccount.Api api = apis.get(i);
      ObjectNode item = items.addObject();
      item.put("id", api.id());
      item.put("name", api.name());
      item.put("createdDate", api.createdDate().getEpochSecond());
      item.put("apiKeySource", "HEADER");
      item.putObject("endpointConfiguration").putArray("types").add("REGIONAL");
      api.tags().forEach(item.putObject("tags")::put);
    }
    if (start + limit < apis.size()) {
      body.put("position", String.valueOf(start + limit));
    }
    return AwsResponse.restJson(200, JSON.writeValueAsString(body));
  }

  private AwsResponse v2Apis(String region, Map<String, String> query)
      throws JsonProcessingException {
    List<SimulatedAccount.Api> apis =
        account.listedApis(region).stream()
            .filter(a -> a.type() != SimulatedAccount.ApiType.REST)
            .toList();
    int limit = pageSize(query.get("maxResults"), MAX_PAGE_SIZE);
    int start = query.containsKey("nextToken") ? Integer.parseInt(query.get("nextToken")) : 0;
    ObjectNode body = JSON.createObjectNode();
    ArrayNode items = body.putArray("items");
    for (int i = start; i < Math.min(apis.size(), start + limit); i++) {
      SimulatedAccount.Api api = apis.get(i);
      boolean http = api.type() == SimulatedAccount.ApiType.HTTP;
      ObjectNode item = items.addObject();
      item.put("apiId", api.id());
      item.put("name", api.name());
      item.put("protocolType", http ? "HTTP" : "WEBSOCKET");
      item.put(
          "apiEndpoint",
          (http ? "https://" : "wss://") + api.id() + ".execute-api." + region + ".amazonaws.com");
      item.put(
          "routeSelectionExpression",
          http ? "${request.method} ${request.path}" : "$request.body.action");
      item.put("createdDate", api.createdDate().toString());
      api.tags().forEach(item.putObject("tags")::put);
    }
    if (start + limit < apis.size()) {
      body.put("nextToken", String.valueOf(start + limit));
    }
    return AwsResponse.restJson(200, JSON.writeValueAsString(body));
  }

  /**
   * v1 GetStages returns every stage at once; v2 GetStages pages with {@code maxResults}/{@code
   * nextToken}. Stages that log access carry {@code accessLogSettings} ({@code format}, {@code
   * destinationArn}, the same camelCase wire names in both APIs); others have none.
   */
  private AwsResponse stages(
      String region, String apiId, SimulatedAccount.ApiType restOnly, Map<String, String> query)
      throws JsonProcessingException {
    SimulatedAccount.Api api = account.api(apiId);
    boolean rest = restOnly == SimulatedAccount.ApiType.REST;
    if (api == null
        || !api.region().equals(region)
        || rest != (api.type() == SimulatedAccount.ApiType.REST)) {
      return AwsResponse.restError(
          404, "NotFoundException", "Invalid API identifier specified " + apiId);
    }
    ObjectNode body = JSON.createObjectNode();
    ArrayNode items = body.putArray(rest ? "item" : "items");
    List<String> stages = api.stages();
    int start = query.containsKey("nextToken") ? Integer.parseInt(query.get("nextToken")) : 0;
    int end =
        rest
            ? stages.size()
            : Math.min(stages.size(), start + pageSize(query.get("maxResults"), MAX_PAGE_SIZE));
    for (String stage : stages.subList(start, end)) {
      ObjectNode item = items.addObject();
      item.put("stageName", stage);
      item.put("deploymentId", "dep" + Math.abs(stage.hashCode() % 1000));
      if (rest) {
        item.putObject("methodSettings")
            .putObject("*/*")
            .put("metricsEnabled", api.detailedMetrics());
        item.put("createdDate", api.createdDate().getEpochSecond());
      } else {
        item.putObject("defaultRouteSettings").put("detailedMetricsEnabled", api.detailedMetrics());
        item.put("createdDate", api.createdDate().toString());
      }
      AccessLogSettings logSettings = api.accessLogSettings(stage);
      if (logSettings != null) {
        ObjectNode settings = item.putObject("accessLogSettings");
        settings.put("destinationArn", logSettings.destinationArn());
        settings.put("format", logSettings.format());
      }
      api.stageTags().getOrDefault(stage, Map.of()).forEach(item.putObject("tags")::put);
    }
    if (end < stages.size()) {
      body.put("nextToken", String.valueOf(end));
    }
    return AwsResponse.restJson(200, JSON.writeValueAsString(body));
  }

  private AwsResponse tags(String region, String arn) throws JsonProcessingException {
    for (SimulatedAccount.Api api : account.apis(region)) {
      Map<String, String> tags = null;
      if (arn.equals(api.arn())) {
        tags = api.tags();
      } else if (arn.startsWith(api.arn() + "/stages/")) {
        String stage = arn.substring(api.arn().length() + "/stages/".length());
        if (api.stages().contains(stage)) {
          tags = api.stageTags().getOrDefault(stage, Map.of());
        }
      }
      if (tags != null) {
        ObjectNode body = JSON.createObjectNode();
        tags.forEach(body.putObject("tags")::put);
        return AwsResponse.restJson(200, JSON.writeValueAsString(body));
      }
    }
    return AwsResponse.restError(404, "NotFoundException", "Invalid resource " + arn);
  }

  private static int pageSize(String requested, int defaultSize) {
    int size = requested == null ? defaultSize : Integer.parseInt(requested);
    return Math.max(1, Math.min(MAX_PAGE_SIZE, size));
  }

  private static String decode(String raw) {
    return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
