package io.github.apigatewayotel.testing.aws;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Several simulated AWS accounts behind one {@link FakeAwsServer}, as an organization's accounts
 * look to a client: the caller's own credentials belong to the {@code home} account, and STS
 * AssumeRole of a role in another member account gives credentials whose every request (CloudWatch,
 * CloudWatch Logs, API Gateway, tagging) that account answers, with its own APIs, tags, series and
 * log groups. A role in an account outside the organization cannot be assumed.
 *
 * <p>{@link #link} makes a member a CloudWatch cross-account observability source account of the
 * home account, which so becomes a monitoring account ({@link CloudWatchSimulator#link}).
 */
public final class SimulatedOrganization {

  /** The name of the role each member account holds for the plugin ({@link #roleArn}). */
  public static final String ROLE_NAME = "ApiGatewayOtelReader";

  private final SimulatedAccount home;
  private final Map<String, SimulatedAccount> accounts = new LinkedHashMap<>();
  private final Map<String, CloudWatchSimulator> cloudWatch = new LinkedHashMap<>();
  private final Map<String, CloudWatchLogsSimulator> logs = new LinkedHashMap<>();
  private final Map<String, ApiGatewaySimulator> apiGateway = new LinkedHashMap<>();
  private final Map<String, TaggingSimulator> tagging = new LinkedHashMap<>();
  private final StsSimulator sts;

  /**
   * {@code home}: the account of the caller's own credentials; {@code members}: reachable by role.
   */
  public SimulatedOrganization(SimulatedAccount home, SimulatedAccount... members) {
    this.home = home;
    add(home);
    for (SimulatedAccount member : members) {
      if (accounts.containsKey(member.accountId())) {
        throw new IllegalArgumentException(
            "account " + member.accountId() + " is in the organization twice");
      }
      add(member);
    }
    sts = new StsSimulator(home);
    sts.setAssumableAccounts(accounts.keySet());
  }

  private void add(SimulatedAccount account) {
    String id = account.accountId();
    accounts.put(id, account);
    cloudWatch.put(id, new CloudWatchSimulator(account));
    logs.put(id, new CloudWatchLogsSimulator(id));
    apiGateway.put(id, new ApiGatewaySimulator(account));
    tagging.put(id, new TaggingSimulator(account));
  }

  /** The ARN of the role {@link #ROLE_NAME} in {@code accountId}. */
  public static String roleArn(String accountId) {
    return "arn:aws:iam::" + accountId + ":role/" + ROLE_NAME;
  }

  /**
   * Links member {@code sourceAccountId} to the home account (CloudWatch cross-account
   * observability).
   */
  public SimulatedOrganization link(String sourceAccountId) {
    SimulatedAccount source = account(sourceAccountId);
    cloudWatch.get(home.accountId()).link(source);
    return this;
  }

  /** Registers the organization's services on {@code server}; returns it. */
  public FakeAwsServer serveOn(FakeAwsServer server) {
    return server
        .register(new ByCaller("monitoring", cloudWatch::get))
        .register(new ByCaller("logs", logs::get))
        .register(new ByCaller("apigateway", apiGateway::get))
        .register(new ByCaller("tagging", tagging::get))
        .register(sts);
  }

  public SimulatedAccount home() {
    return home;
  }

  public SimulatedAccount account(String accountId) {
    SimulatedAccount account = accounts.get(accountId);
    if (account == null) {
      throw new IllegalArgumentException("no account " + accountId + " in the organization");
    }
    return account;
  }

  public Map<String, SimulatedAccount> accounts() {
    return Collections.unmodifiableMap(accounts);
  }

  public CloudWatchSimulator cloudWatch(String accountId) {
    account(accountId);
    return cloudWatch.get(accountId);
  }

  public CloudWatchLogsSimulator logs(String accountId) {
    account(accountId);
    return logs.get(accountId);
  }

  public StsSimulator sts() {
    return sts;
  }

  /** One service of every member: the request goes to the account whose credentials signed it. */
  private final class ByCaller implements AwsServiceHandler {
    private final String signingName;
    private final Function<String, ? extends AwsServiceHandler> byAccount;

    ByCaller(String signingName, Function<String, ? extends AwsServiceHandler> byAccount) {
      this.signingName = signingName;
      this.byAccount = byAccount;
    }

    @Override
    public String signingName() {
      return signingName;
    }

    @Override
    public AwsResponse handle(AwsRequest request) {
      // STS only issues credentials of member accounts, so every caller has a member account
      return byAccount.apply(sts.accountOf(request.accessKeyId())).handle(request);
    }
  }
}
