package io.github.apigatewayotel.receiver.internal;

import io.github.apigatewayotel.state.internal.AwsProblem;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * For a poller of a CloudWatch cross-account observability monitoring account, in one region: the
 * API inventories of linked source accounts, each discovered through the role given for that
 * account (apigateway:GET and tag:GetResources in the source account), so their series get API
 * names, ids, ARNs and tags as the monitoring account's own do.
 *
 * <p>A role that fails keeps its account's last inventory; before its first one, the account's
 * series are left out of the discovery (and, listed again once the role works, read back as new
 * series are, so their periods are not lost). A role whose account the monitoring account's listing
 * does not hold (not linked in this region, or no API Gateway metrics) is reported, once.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
final class SourceAccountInventories {

  /** The source accounts' inventories for one discovery, and the accounts to leave out of it. */
  record Loaded(Map<String, ApiInventory> inventories, Set<String> unavailable) {}

  private final String region;
  private final List<AccountAccess> roles;
  private final ApiInventoryLoader loader;
  private final ProblemLog problems;
  private final Map<String, ApiInventory> lastLoaded = new HashMap<>();

  SourceAccountInventories(
      String region, List<AccountAccess> roles, ApiInventoryLoader loader, ProblemLog problems) {
    this.region = region;
    this.roles = List.copyOf(roles);
    this.loader = loader;
    this.problems = problems;
  }

  /**
   * Loads every role's account but the monitoring account's own, which its own credentials
   * discover.
   */
  Loaded load(String monitoringAccount) {
    Map<String, ApiInventory> inventories = new HashMap<>();
    Set<String> unavailable = new HashSet<>();
    for (AccountAccess role : roles) {
      String account = role.roleAccountId();
      if (account.equals(monitoringAccount)) {
        continue;
      }
      String key = "discovery:" + account + ":" + region;
      try {
        ApiInventory inventory = loader.load(account, region, role.clients().region(region));
        lastLoaded.put(account, inventory);
        inventories.put(account, inventory);
        problems.resolved(
            key,
            "apigateway-otel receiver: API discovery of linked account "
                + account
                + " in "
                + region
                + " works again");
      } catch (
          RuntimeException e) { // SdkException mostly; one source account must not stop the others
        ApiInventory last = lastLoaded.get(account);
        if (last != null) {
          inventories.put(account, last);
        } else {
          unavailable.add(account);
        }
        problems.problem(
            key,
            "apigateway-otel receiver: cannot discover the API Gateway APIs of linked account "
                + account
                + " in "
                + region
                + " through "
                + role.describe()
                + ": "
                + AwsProblem.of(e, "apigateway:GET").describe()
                + ". The role must be assumable (sts:AssumeRole) and allow apigateway:GET and tag:GetResources in that"
                + " account; "
                + (last != null
                    ? "its last discovered APIs stay in use"
                    : "its series are left out until it works")
                + problems.retrying("retrying at the next discovery")
                + ".",
            null);
      }
    }
    return new Loaded(inventories, unavailable);
  }

  /** Reports, once each, roles whose account the monitoring account's listing did not hold. */
  void listed(String monitoringAccount, Set<String> listedAccounts) {
    for (AccountAccess role : roles) {
      String account = role.roleAccountId();
      String key = "unlinked:" + account + ":" + region;
      if (account.equals(monitoringAccount) || listedAccounts.contains(account)) {
        problems.resolved(
            key,
            "apigateway-otel receiver: linked account "
                + account
                + " lists AWS/ApiGateway series in "
                + region);
      } else {
        problems.problem(
            key,
            "apigateway-otel receiver: monitoring account "
                + monitoringAccount
                + " lists no"
                + " AWS/ApiGateway series of account "
                + account
                + " ("
                + role.describe()
                + ") in "
                + region
                + ": that account"
                + " is not linked to it in this region (CloudWatch cross-account observability links are per region), or its"
                + " link does not share AWS/ApiGateway metrics, or it has no API Gateway metrics; nothing of it is read there.",
            null);
      }
    }
  }
}
