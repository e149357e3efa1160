package io.github.apigatewayotel.receiver.internal;

/**
 * The API Gateway API types, with the value of the {@code aws.apigateway.api.type} attribute.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public enum ApiType {
  REST("rest"),
  HTTP("http"),
  WEBSOCKET("websocket");

  private final String attributeValue;

  ApiType(String attributeValue) {
    this.attributeValue = attributeValue;
  }

  public String attributeValue() {
    return attributeValue;
  }
}
