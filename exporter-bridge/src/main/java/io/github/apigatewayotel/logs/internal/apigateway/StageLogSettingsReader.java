package io.github.apigatewayotel.logs.internal.apigateway;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.GetRestApisRequest;
import software.amazon.awssdk.services.apigateway.model.GetRestApisResponse;
import software.amazon.awssdk.services.apigateway.model.GetStagesRequest;
import software.amazon.awssdk.services.apigateway.model.RestApi;
import software.amazon.awssdk.services.apigateway.model.Stage;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.Api;
import software.amazon.awssdk.services.apigatewayv2.model.GetApisRequest;
import software.amazon.awssdk.services.apigatewayv2.model.GetApisResponse;
import software.amazon.awssdk.services.apigatewayv2.model.GetStagesResponse;

/**
 * Lists the access-log settings of every stage of one region: REST stages through API Gateway v1
 * (GetRestApis paged by {@code position}, GetStages unpaged), HTTP and WebSocket stages through v2
 * (GetApis and GetStages, both paged by {@code nextToken}). Stages without access logging are left
 * out. An API deleted between the listing and its GetStages (404) is skipped; anything else throws
 * what the SDK throws once its own retries are spent.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class StageLogSettingsReader {

  /** The largest page API Gateway serves (v1 {@code limit}, v2 {@code maxResults}). */
  public static final int MAX_PAGE_SIZE = 500;

  private final ApiGatewayClient restClient;
  private final ApiGatewayV2Client v2Client;

  public StageLogSettingsReader(ApiGatewayClient restClient, ApiGatewayV2Client v2Client) {
    this.restClient = restClient;
    this.v2Client = v2Client;
  }

  public List<StageLogSetting> read() {
    List<StageLogSetting> settings = new ArrayList<>();
    readRestStages(settings);
    readV2Stages(settings);
    return settings;
  }

  private void readRestStages(List<StageLogSetting> out) {
    String position = null;
    do {
      GetRestApisResponse page =
          restClient.getRestApis(
              GetRestApisRequest.builder().limit(MAX_PAGE_SIZE).position(position).build());
      for (RestApi api : page.items()) {
        List<Stage> stages;
        try {
          stages =
              restClient.getStages(GetStagesRequest.builder().restApiId(api.id()).build()).item();
        } catch (software.amazon.awssdk.services.apigateway.model.NotFoundException deleted) {
          continue;
        }
        for (Stage stage : stages) { // v1 GetStages is not paginated
          if (stage.accessLogSettings() != null) {
            out.add(
                new StageLogSetting(
                    api.id(),
                    stage.stageName(),
                    stage.accessLogSettings().format(),
                    stage.accessLogSettings().destinationArn(),
                    StageLogSetting.REST));
          }
        }
      }
      position = page.position();
    } while (position != null && !position.isEmpty());
  }

  private void readV2Stages(List<StageLogSetting> out) {
    String apisToken = null;
    do {
      GetApisResponse page =
          v2Client.getApis(
              GetApisRequest.builder()
                  .maxResults(String.valueOf(MAX_PAGE_SIZE))
                  .nextToken(apisToken)
                  .build());
      for (Api api : page.items()) {
        try {
          readV2StagesOf(api.apiId(), v2Type(api.protocolTypeAsString()), out);
        } catch (software.amazon.awssdk.services.apigatewayv2.model.NotFoundException deleted) {
          // deleted since GetApis listed it: its stages log nothing any more
        }
      }
      apisToken = page.nextToken();
    } while (apisToken != null && !apisToken.isEmpty());
  }

  /**
   * {@code HTTP} / {@code WEBSOCKET} as {@code aws.apigateway.api.type} writes them; null if
   * unknown.
   */
  private static String v2Type(String protocolType) {
    return protocolType == null || protocolType.isEmpty()
        ? null
        : protocolType.toLowerCase(java.util.Locale.ROOT);
  }

  private void readV2StagesOf(String apiId, String apiType, List<StageLogSetting> out) {
    String token = null;
    do {
      GetStagesResponse page =
          v2Client.getStages(
              software.amazon.awssdk.services.apigatewayv2.model.GetStagesRequest.builder()
                  .apiId(apiId)
                  .maxResults(String.valueOf(MAX_PAGE_SIZE))
                  .nextToken(token)
                  .build());
      for (software.amazon.awssdk.services.apigatewayv2.model.Stage stage : page.items()) {
        if (stage.accessLogSettings() != null) {
          out.add(
              new StageLogSetting(
                  apiId,
                  stage.stageName(),
                  stage.accessLogSettings().format(),
                  stage.accessLogSettings().destinationArn(),
                  apiType));
        }
      }
      token = page.nextToken();
    } while (token != null && !token.isEmpty());
  }
}
