package io.github.apigatewayotel.spi.internal;

import io.github.apigatewayotel.state.internal.AwsProblem;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The AWS account id for {@code cloud.account.id}, one for the whole plugin: the metrics receiver
 * and the CloudWatch Logs sources ask it at each poll ({@link #refresh}) for the account of the
 * plugin's own credentials. It is the configured one, else what STS GetCallerIdentity says for
 * those credentials (each role's account comes from its ARN, or from the receiver's own call
 * through the role). While STS fails, it is asked again no sooner than a jittered exponential
 * backoff allows (1 s doubling to 5 minutes, the AWS SDK's own strategy): a transient failure at
 * start-up costs the records read meanwhile their account id (counted by the log sources; metrics
 * wait for it), not the whole run, and a lasting one costs one STS call every 5 minutes.
 * Thread-safe.
 */
final class AccountIdLookup {

  static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

  private static final Logger logger = Logger.getLogger(AccountIdLookup.class.getName());

  private final ApiGatewayConfig config;
  private final BackoffStrategy backoff;
  private final LongSupplier nanoTime;
  private volatile String accountId;
  private int failures;
  private long nextAttemptNanos;

  AccountIdLookup(ApiGatewayConfig config, BackoffStrategy backoff, LongSupplier nanoTime) {
    this.config = config;
    this.backoff = backoff;
    this.nanoTime = nanoTime;
    this.accountId = config.accountId().orElse(null);
  }

  static AccountIdLookup of(ApiGatewayConfig config) {
    return new AccountIdLookup(
        config,
        BackoffStrategy.exponentialDelayHalfJitter(FIRST_BACKOFF, MAX_BACKOFF),
        System::nanoTime);
  }

  /** The account id, or null while unknown. Never calls AWS. */
  String current() {
    return accountId;
  }

  /**
   * The account id; while unknown, asks STS first when the backoff allows (on the caller's thread,
   * with the SDK's own retries). Null while unknown; never throws.
   */
  String refresh() {
    String known = accountId;
    if (known != null) {
      return known;
    }
    synchronized (this) {
      if (accountId != null || nanoTime.getAsLong() - nextAttemptNanos < 0) {
        return accountId;
      }
      try {
        accountId = askSts();
        if (failures > 0) {
          logger.info(
              "apigateway-otel: sts:GetCallerIdentity answered after "
                  + failures
                  + " failed attempt(s): records and datapoints carry cloud.account.id "
                  + accountId
                  + " from now on");
        }
      } catch (SdkException | IllegalStateException e) {
        // the delay before the next attempt: attempt 1 was the first, which the SDK waits 0 for
        Duration delay = backoff.computeDelay(++failures + 1);
        nextAttemptNanos = nanoTime.getAsLong() + delay.toNanos();
        String problem =
            e instanceof SdkException sdk
                ? AwsProblem.of(sdk, "sts:GetCallerIdentity").describe()
                : e.getMessage();
        boolean awsUnusable =
            e instanceof SdkException sdk && unusable(AwsProblem.of(sdk, "sts:GetCallerIdentity"));
        logger.log(
            failures == 1 ? Level.WARNING : Level.FINE,
            "apigateway-otel: sts:GetCallerIdentity (the account id of access-log records and metrics) failed: "
                + problem
                + "; until it answers, access-log records carry no cloud.account.id (counted in"
                + " apigateway_otel.logs.cloudwatch.account_unknown) and API Gateway metrics wait."
                + " Asking again in "
                + delay.toMillis()
                + " ms, backing off to "
                + MAX_BACKOFF.toMinutes()
                + " minutes"
                // An account id is no fix when AWS cannot be used at all: nothing is read either.
                + (awsUnusable
                    ? ""
                    : "; or set " + ApiGatewayConfig.AWS_ACCOUNT_ID + " to name the account")
                + ".");
      }
      return accountId;
    }
  }

  private static boolean unusable(AwsProblem problem) {
    return problem.kind() == AwsProblem.Kind.NETWORK
        || problem.kind() == AwsProblem.Kind.NO_CREDENTIALS
        || problem.kind() == AwsProblem.Kind.EXPIRED_CREDENTIALS
        || problem.kind() == AwsProblem.Kind.INVALID_CREDENTIALS;
  }

  /**
   * One GetCallerIdentity, in the first region, with the plugin's own credentials (a role's account
   * is named by its ARN, and the receiver asks through each role itself).
   */
  private String askSts() {
    List<String> regions = AwsAccess.regions(config);
    String region = regions.get(0);
    AwsCredentialsProvider credentials = AwsAccess.credentials(config, region, null);
    StsClientBuilder sts =
        StsClient.builder()
            .region(Region.of(region))
            .credentialsProvider(credentials)
            .httpClientBuilder(UrlConnectionHttpClient.builder());
    config.awsEndpoint().ifPresent(sts::endpointOverride);
    try (StsClient client = sts.build()) {
      return client.getCallerIdentity().account();
    } finally {
      if (credentials instanceof SdkAutoCloseable closeable) {
        closeable.close();
      }
    }
  }
}
