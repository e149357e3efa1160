package io.github.apigatewayotel.receiver.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tells operators, once per region and name, that several REST APIs share a CloudWatch {@code
 * ApiName}: their metrics arrive merged, so the receiver cannot say which API served them and
 * leaves the API id, ARN and differing tags off those series. Counted in {@code
 * apigateway_otel.receiver.apis.ambiguous_name}. A name that stops being shared and is shared again
 * later is reported again. Discovery repeats every interval, hence the memory of what was said.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class SharedRestNameWarnings {

  private static final Logger logger = Logger.getLogger(SharedRestNameWarnings.class.getName());

  private final ReceiverTelemetry telemetry;

  /** {@code account + "\n" + region + "\n" + name} of the names reported and still shared. */
  private final Set<String> reported = ConcurrentHashMap.newKeySet();

  public SharedRestNameWarnings(ReceiverTelemetry telemetry) {
    this.telemetry = telemetry;
  }

  /**
   * @param account the account, when the receiver reads several (each reported on its own); else
   *     empty
   * @param sharedNames this discovery's shared names in {@code region}, each with its APIs' ids
   */
  public void discovered(String account, String region, Map<String, List<String>> sharedNames) {
    String regionKey = account + "\n" + region + "\n";
    reported.removeIf(
        key ->
            key.startsWith(regionKey)
                && !sharedNames.containsKey(key.substring(regionKey.length())));
    sharedNames.forEach(
        (name, ids) -> {
          if (reported.add(regionKey + name)) {
            telemetry.ambiguousRestName(region);
            logger.log(
                Level.WARNING,
                "apigateway-otel receiver: REST APIs "
                    + ids
                    + " in "
                    + region
                    + (account.isEmpty() ? "" : " of account " + account)
                    + " share the CloudWatch ApiName \""
                    + name
                    + "\" (the same name, or names equal once CloudWatch drops"
                    + " non-ASCII characters); CloudWatch merges their metrics, which are exported without"
                    + " aws.apigateway.api.id, cloud.resource_id or tags they do not share. Rename an API to tell them apart.");
          }
        });
  }
}
