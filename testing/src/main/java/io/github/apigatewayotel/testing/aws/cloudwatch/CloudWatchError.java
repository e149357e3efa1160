package io.github.apigatewayotel.testing.aws.cloudwatch;

import java.util.Map;

/**
 * An error CloudWatch answers, protocol-neutral: the awsQuery error code and fault ({@code Sender}
 * or {@code Receiver}) with the HTTP status. CloudWatch is awsQuery-compatible, so its JSON 1.0 and
 * CBOR answers carry the same code in {@code x-amzn-query-error: Code;Fault} and name the modeled
 * error shape in {@code __type} ({@link #errorType()}).
 */
public final class CloudWatchError extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Smithy namespace of CloudWatch's error shapes, as {@code __type} names them. */
  static final String SHAPE_NAMESPACE = "com.amazonaws.cloudwatch#";

  /**
   * awsQuery code -> error shape, for the errors CloudWatch's model declares (with their {@code
   * awsQueryError} code); other codes (Throttling, ExpiredToken, ...) are the common AWS errors no
   * model declares, and their {@code __type} is the code itself.
   */
  private static final Map<String, String> MODELED_SHAPES =
      Map.of(
          "InvalidNextToken", "InvalidNextToken",
          "InvalidParameterValue", "InvalidParameterValueException",
          "MissingParameter", "MissingRequiredParameterException",
          "InvalidParameterCombination", "InvalidParameterCombinationException",
          "LimitExceeded", "LimitExceededFault",
          "InternalServiceError", "InternalServiceFault");

  private final int status;
  private final String fault;
  private final String code;

  public CloudWatchError(int status, String fault, String code, String message) {
    super(message, null, false, false); // an answer, not a failure: no stack trace
    if (!fault.equals("Sender") && !fault.equals("Receiver")) {
      throw new IllegalArgumentException("fault is Sender or Receiver: " + fault);
    }
    this.status = status;
    this.fault = fault;
    this.code = code;
  }

  /** A request CloudWatch refuses as invalid (400, {@code ValidationError}). */
  public static CloudWatchError validation(String message) {
    return new CloudWatchError(400, "Sender", "ValidationError", message);
  }

  /** A body the protocol cannot decode. */
  public static CloudWatchError malformed(String message) {
    return new CloudWatchError(400, "Sender", "SerializationException", message);
  }

  public int status() {
    return status;
  }

  /** {@code Sender} or {@code Receiver}. */
  public String fault() {
    return fault;
  }

  /** The awsQuery error code ({@code Throttling}, {@code InvalidNextToken}, ...). */
  public String code() {
    return code;
  }

  /** The JSON/CBOR {@code __type}: the modeled shape's id, else the code. */
  public String errorType() {
    String shape = MODELED_SHAPES.get(code);
    return shape == null ? code : SHAPE_NAMESPACE + shape;
  }

  /** The {@code x-amzn-query-error} header's value. */
  public String queryErrorHeader() {
    return code + ";" + fault;
  }
}
