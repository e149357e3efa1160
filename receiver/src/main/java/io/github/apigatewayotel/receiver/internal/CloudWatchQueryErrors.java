package io.github.apigatewayotel.receiver.internal;

import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.ConcurrentModificationException;
import software.amazon.awssdk.services.cloudwatch.model.ConflictException;
import software.amazon.awssdk.services.cloudwatch.model.DashboardInvalidInputErrorException;
import software.amazon.awssdk.services.cloudwatch.model.DashboardNotFoundErrorException;
import software.amazon.awssdk.services.cloudwatch.model.InternalServiceException;
import software.amazon.awssdk.services.cloudwatch.model.InvalidFormatException;
import software.amazon.awssdk.services.cloudwatch.model.InvalidNextTokenException;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterCombinationException;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterValueException;
import software.amazon.awssdk.services.cloudwatch.model.LimitExceededException;
import software.amazon.awssdk.services.cloudwatch.model.MissingRequiredParameterException;
import software.amazon.awssdk.services.cloudwatch.model.ResourceNotFoundException;

/**
 * Turns a CloudWatch awsQuery error answer ({@code <ErrorResponse><Error><Type/><Code/><Message/>
 * </Error><RequestId/></ErrorResponse>}) into the exception the SDK's CloudWatch client throws for
 * it: the modeled subclass for the codes the client registers, else {@link CloudWatchException},
 * with the same error code, message, status code and request id. An unreadable error body gives
 * a {@link CloudWatchException} without a code, as in the SDK. Like the SDK's, the exception carries
 * the clock offset the request was signed with, which {@link AwsServiceException#isClockSkewException()}
 * needs to tell a skewed clock from bad credentials.
 */
final class CloudWatchQueryErrors {

  private static final String SERVICE_NAME = "CloudWatch";
  private static final String REQUEST_ID_HEADER = "x-amzn-RequestId";

  /** The error codes DefaultCloudWatchClient (SDK 2.40.2) registers, and their exceptions. */
  private static final Map<String, Supplier<AwsServiceException.Builder>> MODELED = Map.ofEntries(
      Map.entry("ConcurrentModificationException", ConcurrentModificationException::builder),
      Map.entry("InvalidParameterValue", InvalidParameterValueException::builder),
      Map.entry("InvalidFormat", InvalidFormatException::builder),
      Map.entry("MissingParameter", MissingRequiredParameterException::builder),
      Map.entry("InvalidNextToken", InvalidNextTokenException::builder),
      Map.entry("LimitExceeded", LimitExceededException::builder),
      Map.entry("ConflictException", ConflictException::builder),
      Map.entry("ResourceNotFoundException", ResourceNotFoundException::builder),
      Map.entry("InvalidParameterCombination", InvalidParameterCombinationException::builder),
      Map.entry("ResourceNotFound", DashboardNotFoundErrorException::builder),
      Map.entry("InvalidParameterInput", DashboardInvalidInputErrorException::builder),
      Map.entry("InternalServiceError", InternalServiceException::builder));

  private CloudWatchQueryErrors() {}

  /** @param signingOffset the offset the request was signed with ({@link SigningClock#offset()}) */
  static AwsServiceException exception(SdkHttpResponse response, byte[] body, int length, Duration signingOffset) {
    String code = null;
    String message = null;
    String requestId = null;
    boolean errorFound = false;
    try {
      XmlScanner xml = new XmlScanner(body, length);
      boolean inError = false;
      for (int event = xml.next(); event != XmlScanner.END_OF_DOCUMENT; event = xml.next()) {
        if (event == XmlScanner.START && xml.depth() == 2 && "Error".equals(xml.localName())) {
          inError = true;
          errorFound = true;
        } else if (event == XmlScanner.END && xml.depth() == 1) {
          String name = xml.localName();
          if (name.equals("Error")) {
            inError = false;
          } else if ((name.equals("RequestId") || name.equals("RequestID")) && requestId == null) {
            requestId = xml.text();
          }
        } else if (event == XmlScanner.END && xml.depth() == 2 && inError) {
          String name = xml.localName();
          if (name.equals("Code") && code == null) {
            code = xml.text();
          } else if (name.equals("Message") && message == null) {
            message = xml.text();
          }
        }
      }
    } catch (XmlScanner.MalformedXmlException e) { // as the SDK: no code, a generic CloudWatchException
      code = null;
      message = null;
      requestId = null;
      errorFound = false;
    }
    if (requestId == null) {
      requestId = response.firstMatchingHeader(REQUEST_ID_HEADER).orElse(null);
    }
    Supplier<AwsServiceException.Builder> modeled = errorFound && code != null ? MODELED.get(code) : null;
    AwsServiceException.Builder builder = modeled != null ? modeled.get() : CloudWatchException.builder();
    builder.message(errorFound ? message : null);
    return builder.awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message)
            .rawResponse(SdkBytes.fromByteArray(java.util.Arrays.copyOf(body, length))).sdkHttpResponse(response)
            .serviceName(SERVICE_NAME).build())
        .requestId(requestId)
        .clockSkew(signingOffset)
        .statusCode(response.statusCode())
        .numAttempts(1)
        .build();
  }
}
