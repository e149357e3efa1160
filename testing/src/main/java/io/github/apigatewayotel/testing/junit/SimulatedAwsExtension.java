package io.github.apigatewayotel.testing.junit;

import io.github.apigatewayotel.testing.aws.ApiGatewaySimulator;
import io.github.apigatewayotel.testing.aws.CloudWatchLogsSimulator;
import io.github.apigatewayotel.testing.aws.CloudWatchSimulator;
import io.github.apigatewayotel.testing.aws.FakeAwsServer;
import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import io.github.apigatewayotel.testing.aws.StsSimulator;
import io.github.apigatewayotel.testing.aws.TaggingSimulator;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A simulated AWS account served on loopback for each test: CloudWatch, API Gateway, the tagging
 * API and STS of one {@link SimulatedAccount} (and CloudWatch Logs with {@link #withLogs()}),
 * started before each test and stopped after it, whether it passed or not.
 *
 * <pre>{@code
 * @RegisterExtension
 * final SimulatedAwsExtension aws =
 *     SimulatedAwsExtension.demoAccount("123456789012", "eu-west-1", 7).withTestCredentials();
 * }</pre>
 *
 * <p>The account and the simulators exist from construction on, so that a test (or its
 * {@code @BeforeEach}) may shape them; the server exists only while a test runs.
 */
public final class SimulatedAwsExtension implements BeforeEachCallback, AfterEachCallback {

  /** The static access key {@link #withTestCredentials()} sets. */
  public static final String TEST_ACCESS_KEY_ID = "AKIDTEST";

  private final String accountId;
  private final SimulatedAccount account;
  private final CloudWatchSimulator cloudWatch;
  private CloudWatchLogsSimulator logs;
  private boolean testCredentials;

  /** System properties set for the test and their values before it (null: unset). */
  private final Map<String, String> previousProperties = new LinkedHashMap<>();

  private FakeAwsServer server;

  private SimulatedAwsExtension(String accountId, SimulatedAccount account) {
    this.accountId = accountId;
    this.account = account;
    this.cloudWatch = new CloudWatchSimulator(account);
  }

  /** The seeded demo account ({@link SimulatedAccount#demo}): REST, HTTP and WebSocket APIs. */
  public static SimulatedAwsExtension demoAccount(String accountId, String region, long seed) {
    return new SimulatedAwsExtension(accountId, SimulatedAccount.demo(accountId, region, seed));
  }

  /** Serves CloudWatch Logs too, with log group ARNs naming the account. */
  public SimulatedAwsExtension withLogs() {
    logs = new CloudWatchLogsSimulator(accountId);
    return this;
  }

  /**
   * Sets static credentials in the system properties the AWS SDK's default credentials chain reads
   * first ({@code aws.accessKeyId}, {@code aws.secretAccessKey}) for each test, and puts back what
   * was there after it, so that tests in one JVM do not see each other's.
   */
  public SimulatedAwsExtension withTestCredentials() {
    testCredentials = true;
    return this;
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    server =
        FakeAwsServer.start()
            .register(cloudWatch)
            .register(new ApiGatewaySimulator(account))
            .register(new TaggingSimulator(account))
            .register(new StsSimulator(account));
    if (logs != null) {
      server.register(logs);
    }
    if (testCredentials) {
      setProperty("aws.accessKeyId", TEST_ACCESS_KEY_ID);
      setProperty("aws.secretAccessKey", "secret");
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    previousProperties.forEach(
        (key, value) -> {
          if (value == null) {
            System.clearProperty(key);
          } else {
            System.setProperty(key, value);
          }
        });
    previousProperties.clear();
    if (server != null) {
      server.close();
      server = null;
    }
  }

  private void setProperty(String key, String value) {
    previousProperties.putIfAbsent(key, System.getProperty(key));
    System.setProperty(key, value);
  }

  public SimulatedAccount account() {
    return account;
  }

  /** The account's CloudWatch, e.g. to make its answers smaller. */
  public CloudWatchSimulator cloudWatch() {
    return cloudWatch;
  }

  /** The account's CloudWatch Logs; only with {@link #withLogs()}. */
  public CloudWatchLogsSimulator logs() {
    if (logs == null) {
      throw new IllegalStateException("CloudWatch Logs is served only withLogs()");
    }
    return logs;
  }

  /** The running server, e.g. to add an interceptor or count requests; only during a test. */
  public FakeAwsServer server() {
    if (server == null) {
      throw new IllegalStateException("the simulated account is served only while a test runs");
    }
    return server;
  }

  /** The endpoint to override the AWS clients' with, e.g. {@code otel.apigateway.aws.endpoint}. */
  public URI endpoint() {
    return server().endpoint();
  }
}
