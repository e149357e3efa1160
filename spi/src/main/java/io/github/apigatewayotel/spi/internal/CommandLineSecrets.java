package io.github.apigatewayotel.spi.internal;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.semconv.incubating.ProcessIncubatingAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps secrets given as system properties ({@code -Dkey=value}) out of the resource every exported
 * record carries: the Java agent's process detector puts the whole command line there ({@code
 * process.command_args}, {@code process.command_line}), so a client-address key or an OTLP
 * authorization header passed with {@code -D} would leave with each log record and metric. Their
 * values are replaced with {@value #REDACTED}; the key names stay, so the command line still says
 * what was set.
 */
public final class CommandLineSecrets {

  static final String REDACTED = "<redacted>";
  private static final String SYSTEM_PROPERTY = "-D";
  private static final AttributeKey<List<String>> COMMAND_ARGS =
      ProcessIncubatingAttributes.PROCESS_COMMAND_ARGS;
  private static final AttributeKey<String> COMMAND_LINE =
      ProcessIncubatingAttributes.PROCESS_COMMAND_LINE;

  private CommandLineSecrets() {}

  /** {@code resource} with the values of secret system properties in its command line redacted. */
  public static Resource redact(Resource resource) {
    List<String> args = resource.getAttribute(COMMAND_ARGS);
    String line = resource.getAttribute(COMMAND_LINE);
    if (args == null && line == null) {
      return resource;
    }
    List<String> secrets = new ArrayList<>();
    List<String> redactedArgs = args == null ? null : new ArrayList<>(args.size());
    if (args != null) {
      for (String arg : args) {
        String value = secretValue(arg);
        if (value != null) {
          secrets.add(value);
          arg = arg.substring(0, arg.length() - value.length()) + REDACTED;
        }
        redactedArgs.add(arg);
      }
    }
    String redactedLine = line == null ? null : redactLine(line, secrets);
    if (secrets.isEmpty() && (line == null || line.equals(redactedLine))) {
      return resource;
    }
    var builder = resource.toBuilder();
    if (redactedArgs != null) {
      builder.put(COMMAND_ARGS, redactedArgs);
    }
    if (redactedLine != null) {
      builder.put(COMMAND_LINE, redactedLine);
    }
    return builder.build();
  }

  /** The value of {@code -Dkey=value} when {@code key} holds a secret, else null. */
  private static String secretValue(String arg) {
    int equals = arg.indexOf('=');
    if (!arg.startsWith(SYSTEM_PROPERTY) || equals < 0) {
      return null;
    }
    String key = arg.substring(SYSTEM_PROPERTY.length(), equals);
    return ApiGatewayConfig.isSecretKey(key) ? arg.substring(equals + 1) : null;
  }

  /**
   * The command line with the secrets found in the arguments replaced; without arguments, each
   * secret property's value up to the next space.
   */
  private static String redactLine(String line, List<String> secrets) {
    String redacted = line;
    for (String secret : secrets) {
      if (!secret.isEmpty()) {
        redacted = redacted.replace(secret, REDACTED);
      }
    }
    if (!secrets.isEmpty()) {
      return redacted;
    }
    StringBuilder out = new StringBuilder();
    for (String token : line.split(" ", -1)) {
      String value = secretValue(token);
      if (out.length() > 0) {
        out.append(' ');
      }
      out.append(
          value == null ? token : token.substring(0, token.length() - value.length()) + REDACTED);
    }
    return out.toString();
  }
}
