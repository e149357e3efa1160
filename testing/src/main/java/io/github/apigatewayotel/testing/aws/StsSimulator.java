package io.github.apigatewayotel.testing.aws;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * STS ({@code sts}, awsQuery): GetCallerIdentity answers the simulated account, or the account of
 * the role whose temporary credentials signed the request; AssumeRole issues such credentials and
 * checks the external id when one is required.
 */
public final class StsSimulator implements AwsServiceHandler {

  private static final String XMLNS = "https://sts.amazonaws.com/doc/2011-06-15/";
  private static final Pattern ROLE_ARN = Pattern.compile("arn:aws:iam::(\\d{12}):role/(.+)");

  private final SimulatedAccount account;
  private final Map<String, String> requiredExternalIds = new ConcurrentHashMap<>();

  /** Temporary access key -> assumed role ARN. */
  private final Map<String, String> issuedKeys = new ConcurrentHashMap<>();

  private final AtomicInteger assumeRoleCalls = new AtomicInteger();
  private final AtomicInteger keysIssued = new AtomicInteger();

  /**
   * Accounts whose roles can be assumed; null: any (a role in an account not simulated reads this
   * one).
   */
  private volatile Set<String> assumableAccounts;

  public StsSimulator(SimulatedAccount account) {
    this.account = account;
  }

  @Override
  public String signingName() {
    return "sts";
  }

  /** Makes AssumeRole of {@code roleArn} require {@code externalId}, as a trust policy can. */
  public void requireExternalId(String roleArn, String externalId) {
    requiredExternalIds.put(roleArn, externalId);
  }

  public int assumeRoleCalls() {
    return assumeRoleCalls.get();
  }

  /**
   * Limits AssumeRole to roles in {@code accountIds}, as in an organization where only those
   * accounts hold the role: any other is refused with AccessDenied.
   */
  public void setAssumableAccounts(Set<String> accountIds) {
    this.assumableAccounts = Set.copyOf(accountIds);
  }

  /**
   * The account whose credentials use {@code accessKeyId}: the assumed role's account for temporary
   * credentials this simulator issued, else the simulated account (the caller's own).
   */
  public String accountOf(String accessKeyId) {
    String role = roleOf(accessKeyId);
    if (role == null) {
      return account.accountId();
    }
    Matcher matcher = ROLE_ARN.matcher(role);
    return matcher.matches() ? matcher.group(1) : account.accountId();
  }

  /** The role ARN whose temporary credentials use {@code accessKeyId}, or null. */
  public String roleOf(String accessKeyId) {
    return accessKeyId == null ? null : issuedKeys.get(accessKeyId);
  }

  @Override
  public AwsResponse handle(AwsRequest request) {
    Map<String, String> form = request.formFields();
    String action = form.getOrDefault("Action", "");
    if (action.equals("GetCallerIdentity")) {
      String role = roleOf(request.accessKeyId());
      String accountId = account.accountId();
      String arn = "arn:aws:iam::" + accountId + ":user/simulated";
      if (role != null) {
        Matcher matcher = ROLE_ARN.matcher(role);
        matcher.matches();
        accountId = matcher.group(1);
        arn = "arn:aws:sts::" + accountId + ":assumed-role/" + matcher.group(2) + "/session";
      }
      return AwsResponse.xml(
          200,
          "<GetCallerIdentityResponse xmlns=\""
              + XMLNS
              + "\"><GetCallerIdentityResult><Arn>"
              + XmlText.xml(arn)
              + "</Arn><UserId>AIDASIMULATED</UserId><Account>"
              + accountId
              + "</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>sim</RequestId></ResponseMetadata></GetCallerIdentityResponse>");
    }
    if (action.equals("AssumeRole")) {
      assumeRoleCalls.incrementAndGet();
      String roleArn = form.getOrDefault("RoleArn", "");
      Matcher matcher = ROLE_ARN.matcher(roleArn);
      if (!matcher.matches()) {
        return AwsResponse.queryError(
            400, "Sender", "ValidationError", "invalid RoleArn " + roleArn);
      }
      Set<String> assumable = assumableAccounts;
      if (assumable != null && !assumable.contains(matcher.group(1))) {
        return AwsResponse.queryError(
            403,
            "Sender",
            "AccessDenied",
            "not authorized to perform sts:AssumeRole on " + roleArn);
      }
      String required = requiredExternalIds.get(roleArn);
      if (required != null && !required.equals(form.get("ExternalId"))) {
        return AwsResponse.queryError(
            403,
            "Sender",
            "AccessDenied",
            "not authorized to perform sts:AssumeRole on " + roleArn);
      }
      // one counter, not the map's size: concurrent AssumeRole calls must never share a key
      String accessKey = "ASIASIM" + String.format("%013d", keysIssued.incrementAndGet());
      issuedKeys.put(accessKey, roleArn);
      Instant expiration = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
      String session = form.getOrDefault("RoleSessionName", "session");
      return AwsResponse.xml(
          200,
          "<AssumeRoleResponse xmlns=\""
              + XMLNS
              + "\"><AssumeRoleResult><Credentials><AccessKeyId>"
              + accessKey
              + "</AccessKeyId><SecretAccessKey>simulated-secret</SecretAccessKey><SessionToken>simulated-token-"
              + accessKey
              + "</SessionToken><Expiration>"
              + expiration
              + "</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROASIM:"
              + XmlText.xml(session)
              + "</AssumedRoleId><Arn>arn:aws:sts::"
              + matcher.group(1)
              + ":assumed-role/"
              + XmlText.xml(matcher.group(2))
              + "/"
              + XmlText.xml(session)
              + "</Arn></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>sim</RequestId></ResponseMetadata></AssumeRoleResponse>");
    }
    return AwsResponse.queryError(400, "Sender", "InvalidAction", "unsupported action " + action);
  }
}
