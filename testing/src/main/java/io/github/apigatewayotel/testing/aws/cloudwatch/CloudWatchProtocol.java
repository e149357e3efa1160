package io.github.apigatewayotel.testing.aws.cloudwatch;

import io.github.apigatewayotel.testing.aws.AwsRequest;

/**
 * The three wire protocols real CloudWatch accepts, told apart by the request: Smithy RPC v2 CBOR
 * (AWS SDK for Java from 2.3x, {@code POST /service/.../operation/<Op>}), AWS JSON 1.0 (botocore,
 * {@code X-Amz-Target}) and awsQuery (older SDKs, a form {@code POST /}).
 */
public enum CloudWatchProtocol {
  AWS_QUERY(new AwsQueryCodec()),
  AWS_JSON_1_0(JsonRpcCodec.awsJson10()),
  RPC_V2_CBOR(JsonRpcCodec.rpcV2Cbor());

  private final CloudWatchCodec codec;

  CloudWatchProtocol(CloudWatchCodec codec) {
    this.codec = codec;
  }

  /** The protocol {@code request} speaks. */
  public static CloudWatchProtocol of(AwsRequest request) {
    if (request.path().startsWith("/service/") || request.header("smithy-protocol") != null) {
      return RPC_V2_CBOR;
    }
    if (request.header("X-Amz-Target") != null) {
      return AWS_JSON_1_0;
    }
    return AWS_QUERY;
  }

  public CloudWatchCodec codec() {
    return codec;
  }
}
