package io.github.apigatewayotel.logs.internal.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

class AwsFailureCredentialsTest {

  @Test
  void noCredentialsAtAllIsACredentialsFailureNotANetworkOne() {
    SdkClientException none =
        SdkClientException.create(
            "Unable to load credentials from any of the providers in the chain"
                + " AwsCredentialsProviderChain(...)");
    assertThat(AwsFailure.classify(none)).isEqualTo(AwsFailure.CREDENTIALS);
    assertThat(AwsFailure.classify(SdkClientException.create("wrapped", none)))
        .isEqualTo(AwsFailure.CREDENTIALS);
    assertThat(AwsFailure.classify(SdkClientException.create("Connection refused")))
        .isEqualTo(AwsFailure.NETWORK);
  }
}
