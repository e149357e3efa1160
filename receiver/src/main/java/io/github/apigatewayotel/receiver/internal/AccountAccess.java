package io.github.apigatewayotel.receiver.internal;

import io.github.apigatewayotel.state.internal.AwsProblem;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * One way into AWS: the receiver's own credentials, or one role assumed from them, with the clients
 * built on it and the account it reaches ({@code cloud.account.id} of what it reads).
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class AccountAccess implements AutoCloseable {

  private static final Pattern ROLE_ACCOUNT =
      Pattern.compile("arn:aws[a-z-]*:iam::(\\d{12}):role/.+");

  private final String roleArn;
  private final AwsClients clients;
  private volatile String accountId;

  /** Asked instead of STS while the account is unknown; null: this access asks STS itself. */
  private volatile Supplier<String> accountIdSource;

  /**
   * @param roleArn the role assumed, null for the receiver's own credentials
   * @param accountId the configured account id, or null to ask STS GetCallerIdentity
   */
  public AccountAccess(String roleArn, AwsClients clients, String accountId) {
    this.roleArn = roleArn;
    this.clients = clients;
    this.accountId = accountId;
  }

  /** The account of an IAM role ARN ({@code arn:aws:iam::123456789012:role/name}). */
  public static String accountOfRole(String roleArn) {
    Matcher matcher = ROLE_ACCOUNT.matcher(roleArn);
    if (!matcher.matches()) {
      throw new IllegalArgumentException("not an IAM role ARN: '" + roleArn + "'");
    }
    return matcher.group(1);
  }

  /** The role assumed, or null for the receiver's own credentials. */
  public String roleArn() {
    return roleArn;
  }

  /** The role's account, known from its ARN without calling AWS; null for the own credentials. */
  public String roleAccountId() {
    return roleArn == null ? null : accountOfRole(roleArn);
  }

  public AwsClients clients() {
    return clients;
  }

  /** The account reached, once {@link #resolveAccount} succeeded (or configured); else null. */
  public String accountId() {
    return accountId;
  }

  /**
   * From now on the account comes from {@code source} (a look-up the host shares between the
   * receiver and its log sources, which backs off by itself) instead of this access's own STS call.
   */
  void accountIdFrom(Supplier<String> source) {
    this.accountIdSource = source;
  }

  /** How problems name this access: the role, or the receiver's own credentials. */
  public String describe() {
    return roleArn == null ? "the plugin's own credentials" : "role " + roleArn;
  }

  /**
   * Makes sure the account is known, asking STS GetCallerIdentity with these credentials (which
   * also proves they work: a role that cannot be assumed fails here). Never throws for AWS trouble:
   * the problem is logged once and added to {@code issues}; false until it works.
   */
  boolean resolveAccount(AwsCallRetrier retrier, ProblemLog problems, List<String> issues) {
    if (accountId != null) {
      return true;
    }
    String key = roleArn == null ? "credentials" : "credentials:" + roleArn;
    Supplier<String> source = accountIdSource;
    if (source != null) {
      String found;
      try {
        found = source.get();
      } catch (RuntimeException e) {
        found = null;
      }
      if (found != null) {
        accountId = found;
        return true;
      }
      // The source logs its own failures; the summary says why this poll exported nothing.
      issues.add(
          "apigateway-otel receiver: the AWS account id is not known yet (sts:GetCallerIdentity);"
              + " API Gateway metrics start once it is");
      return false;
    }
    try {
      accountId =
          retrier
              .call(
                  "sts:GetCallerIdentity",
                  () -> clients.stsWithEffectiveCredentials().getCallerIdentity())
              .account();
      problems.resolved(
          key,
          "apigateway-otel receiver: AWS access works, account "
              + accountId
              + (roleArn == null ? "" : " (" + describe() + ")"));
      return true;
    } catch (SdkException e) {
      AwsProblem problem =
          AwsProblem.of(e, roleArn != null ? "sts:AssumeRole" : "sts:GetCallerIdentity");
      String message =
          "apigateway-otel receiver: cannot use AWS"
              + (roleArn == null ? "" : " through " + describe())
              + " (sts:GetCallerIdentity, the account's id): "
              + problem.describe()
              + ". API Gateway metrics "
              + (roleArn == null ? "are" : "of that account are")
              + " off until this is fixed"
              + problems.retrying("retrying every poll");
      issues.add(message);
      problems.problem(key, message, null);
      return false;
    }
  }

  @Override
  public void close() {
    clients.close();
  }
}
