package io.github.apigatewayotel.receiver.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The AWS accounts the receiver reaches and how: its own credentials' account and/or one access per
 * role. The accounts polled are the own one, or each role's; for a CloudWatch monitoring account
 * read with its linked accounts, the own one, the roles then only discovering the source accounts'
 * APIs. Each account id is resolved before its first poll, and again every poll until it is known.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
final class PolledAccounts implements AutoCloseable {

  private static final Logger logger = Logger.getLogger(PolledAccounts.class.getName());

  /** Every access the receiver uses: its own credentials and/or one per role. */
  private final List<AccountAccess> accesses = new ArrayList<>();

  /** The accesses whose accounts are polled (the others, source roles, only discover). */
  private final List<AccountAccess> polled = new ArrayList<>();

  /** One access per role. */
  private final List<AccountAccess> roles = new ArrayList<>();

  /** Whether points name their account: several are read. */
  private final boolean several;

  PolledAccounts(ReceiverConfig config) {
    List<String> roleArns = config.roleArns();
    this.several = config.linkedAccounts() || roleArns.size() > 1;
    for (String role : roleArns) {
      // a configured account id names the one account read: the role's when it is the only one
      String configured =
          !config.linkedAccounts() && roleArns.size() == 1 ? config.accountId() : null;
      roles.add(
          new AccountAccess(
              role,
              new AwsClients(
                  config.endpointOverride(),
                  config.credentials(),
                  role,
                  config.externalId(),
                  config.regions().get(0)),
              configured));
    }
    accesses.addAll(roles);
    if (config.linkedAccounts() || roleArns.isEmpty()) {
      AccountAccess own =
          new AccountAccess(
              null,
              new AwsClients(
                  config.endpointOverride(),
                  config.credentials(),
                  null,
                  null,
                  config.regions().get(0),
                  config.linkedAccounts()),
              config.accountId());
      accesses.add(own);
      polled.add(own);
    } else {
      polled.addAll(roles);
    }
  }

  /** The accesses whose accounts are polled. */
  List<AccountAccess> polled() {
    return polled;
  }

  /** One access per role. */
  List<AccountAccess> roles() {
    return roles;
  }

  /** Whether more than one account is read. */
  boolean several() {
    return several;
  }

  /**
   * From now on, the account id of the receiver's own credentials comes from {@code source}; a
   * role's account is still asked through that role.
   */
  void accountIdFrom(Supplier<String> source) {
    for (AccountAccess access : accesses) {
      if (access.roleArn() == null) {
        access.accountIdFrom(source);
      }
    }
  }

  /**
   * Resolves the account of every access a poller uses; returns how many do not work yet (each
   * reported once and retried every poll; the others are polled meanwhile).
   */
  int resolve(AwsCallRetrier retrier, ProblemLog problems, List<String> issues) {
    int unresolved = 0;
    for (AccountAccess access : polled) {
      if (!access.resolveAccount(retrier, problems, issues)) {
        unresolved++;
      }
    }
    return unresolved;
  }

  /** Releases every access's AWS clients. */
  @Override
  public void close() {
    for (AccountAccess access : accesses) {
      try {
        access.close();
      } catch (RuntimeException e) {
        logger.log(Level.FINE, "closing AWS clients", e);
      }
    }
  }
}
