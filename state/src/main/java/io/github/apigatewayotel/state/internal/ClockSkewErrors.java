package io.github.apigatewayotel.state.internal;

import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Tells a clock-skew error from other AWS errors. AWS refuses a signature more than 5 minutes from
 * its own clock; the SDK's clients then learn the offset from the answer and sign later requests
 * with the corrected time, so such an error is worth a retry, and is not a credential problem even
 * when AWS words it as a bad signature.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class ClockSkewErrors {

  /**
   * Codes that always mean the request's time is out of AWS's range (the SDK's definite clock-skew
   * codes).
   */
  private static final Set<String> TIME_ERRORS =
      Set.of("RequestTimeTooSkewed", "RequestExpired", "RequestInTheFuture");

  /**
   * Bad-signature codes, which mean clock skew when AWS words them so (see {@link
   * #isClockSkewError}).
   */
  private static final Set<String> SIGNATURE_ERRORS =
      Set.of("SignatureDoesNotMatch", "InvalidSignatureException", "AuthFailure");

  private ClockSkewErrors() {}

  /**
   * Whether {@code error} says the request's time was out of AWS's range: a definite code such as
   * RequestTimeTooSkewed; a bad signature AWS words as "Signature expired" or "Signature not yet
   * current"; or the SDK's own test ({@link AwsServiceException#isClockSkewException()}: a bad
   * signature or 401/403 whose answer's {@code Date} is at least 4 minutes off the signing time).
   * The wording is checked too because the SDK's test needs the offset the request was signed with,
   * which an exception does not always carry.
   */
  public static boolean isClockSkewError(AwsServiceException error) {
    String code = error.awsErrorDetails() == null ? null : error.awsErrorDetails().errorCode();
    if (code != null && TIME_ERRORS.contains(code)) {
      return true;
    }
    if (code != null && SIGNATURE_ERRORS.contains(code)) {
      String message = String.valueOf(error.awsErrorDetails().errorMessage());
      if (message.contains("Signature expired") || message.contains("Signature not yet current")) {
        return true;
      }
    }
    return error.isClockSkewException();
  }
}
