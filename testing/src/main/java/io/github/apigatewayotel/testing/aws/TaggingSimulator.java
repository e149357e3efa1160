package io.github.apigatewayotel.testing.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Resource Groups Tagging API ({@code tagging}, awsJson 1.1) over a {@link SimulatedAccount}:
 * GetResources for API Gateway APIs and stages that carry tags (untagged resources are not listed,
 * as in AWS), at most 100 per page.
 */
public final class TaggingSimulator implements AwsServiceHandler {

  public static final int MAX_RESOURCES_PER_PAGE = 100;
  private static final ObjectMapper JSON = new ObjectMapper();
  private final SimulatedAccount account;

  public TaggingSimulator(SimulatedAccount account) {
    this.account = account;
  }

  @Override
  public String signingName() {
    return "tagging";
  }

  @Override
  public AwsResponse handle(AwsRequest request) {
    if (!"GetResources".equals(request.jsonTarget())) {
      return AwsResponse.jsonError(
          400, "InvalidParameterException", "unsupported " + request.jsonTarget());
    }
    try {
      JsonNode in = JSON.readTree(request.body().length == 0 ? "{}".getBytes() : request.body());
      boolean apigateway = true;
      if (in.has("ResourceTypeFilters")) {
        apigateway = false;
        for (JsonNode filter : in.get("ResourceTypeFilters")) {
          apigateway |= filter.asText().startsWith("apigateway");
        }
      }
      List<Map.Entry<String, Map<String, String>>> resources = new ArrayList<>();
      if (apigateway) {
        for (SimulatedAccount.Api api : account.apis(request.region())) {
          if (!api.tags().isEmpty()) {
            resources.add(Map.entry(api.arn(), api.tags()));
          }
          api.stageTags()
              .forEach(
                  (stage, tags) -> {
                    if (!tags.isEmpty() && api.stages().contains(stage)) {
                      resources.add(Map.entry(api.stageArn(stage), tags));
                    }
                  });
        }
      }
      int perPage = in.path("ResourcesPerPage").asInt(MAX_RESOURCES_PER_PAGE);
      if (perPage < 1 || perPage > MAX_RESOURCES_PER_PAGE) {
        return AwsResponse.jsonError(
            400, "InvalidParameterException", "ResourcesPerPage must be 1-100");
      }
      String token = in.path("PaginationToken").asText("");
      int start = token.isEmpty() ? 0 : Integer.parseInt(token);
      int end = Math.min(resources.size(), start + perPage);
      ObjectNode out = JSON.createObjectNode();
      ArrayNode list = out.putArray("ResourceTagMappingList");
      for (int i = start; i < end; i++) {
        ObjectNode mapping = list.addObject();
        mapping.put("ResourceARN", resources.get(i).getKey());
        ArrayNode tags = mapping.putArray("Tags");
        resources
            .get(i)
            .getValue()
            .forEach((k, v) -> tags.addObject().put("Key", k).put("Value", v));
      }
      out.put("PaginationToken", end < resources.size() ? String.valueOf(end) : "");
      return AwsResponse.awsJson(200, JSON.writeValueAsString(out));
    } catch (IOException | NumberFormatException e) {
      return AwsResponse.jsonError(
          400, "InvalidParameterException", String.valueOf(e.getMessage()));
    }
  }
}
