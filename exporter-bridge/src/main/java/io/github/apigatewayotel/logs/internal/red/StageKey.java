package io.github.apigatewayotel.logs.internal.red;

/**
 * The API stage a request was served by, with what the metrics name it by: region and account, API
 * id and stage (null when neither the line nor its log group tells), the API type and stage ARN
 * (null unless the log group is known to be that stage's).
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
record StageKey(
    String region, String accountId, String apiId, String stage, String apiType, String stageArn) {}
