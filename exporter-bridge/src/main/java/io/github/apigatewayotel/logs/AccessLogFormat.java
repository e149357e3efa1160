package io.github.apigatewayotel.logs;

import io.github.apigatewayotel.logs.internal.CompiledTemplate;
import io.github.apigatewayotel.logs.internal.NamedFormats;
import io.github.apigatewayotel.logs.internal.NearestName;
import java.util.List;
import java.util.Objects;

/**
 * An API Gateway access-log format, compiled once into a parser. Create one per distinct format and
 * reuse it; it is immutable and thread-safe.
 */
public final class AccessLogFormat {

  private static final AccessLogFormat DEFAULT =
      new AccessLogFormat(CompiledTemplate.compile(NamedFormats.SEED_JSON));

  private static final String VARIABLE_PREFIX = "$context.";
  private static final int MAX_ECHOED_CHARS = 80;

  private final CompiledTemplate compiled;

  private AccessLogFormat(CompiledTemplate compiled) {
    this.compiled = compiled;
  }

  /**
   * A named format or a format string. Names: {@code json} (the seed's JSON, the default), {@code
   * clf}, {@code csv}, {@code xml} and {@code aws-json} (AWS's documented examples). Anything else
   * is read as a format string as typed into API Gateway's "Log format" box.
   *
   * @throws IllegalArgumentException when the string holds no {@code $context} variable, or two
   *     variables touch with nothing between them
   * @throws NullPointerException when {@code nameOrTemplate} is null
   */
  public static AccessLogFormat of(String nameOrTemplate) {
    Objects.requireNonNull(nameOrTemplate, "access log format");
    if (nameOrTemplate.isBlank()) {
      throw new IllegalArgumentException("access log format is empty");
    }
    String named = NamedFormats.byName(nameOrTemplate);
    if (named == NamedFormats.SEED_JSON) {
      return DEFAULT;
    }
    if (named == null && !nameOrTemplate.contains(VARIABLE_PREFIX)) {
      // Most likely a misspelled name ("jsn"): say which names there are.
      throw new IllegalArgumentException(
          "\""
              + abbreviate(nameOrTemplate.strip())
              + "\" is neither a format name "
              + NamedFormats.NAMES
              + NearestName.of(nameOrTemplate.strip(), NamedFormats.NAMES)
                  .map(name -> " (did you mean " + name + "?)")
                  .orElse("")
              + " nor a format string (it has no $context variable, such as $context.requestId)");
    }
    return new AccessLogFormat(CompiledTemplate.compile(named != null ? named : nameOrTemplate));
  }

  private static String abbreviate(String text) {
    return text.length() <= MAX_ECHOED_CHARS ? text : text.substring(0, MAX_ECHOED_CHARS) + "...";
  }

  /** The names {@link #of} takes for a named format, the default ({@code json}) first. */
  public static List<String> names() {
    return NamedFormats.NAMES;
  }

  /** The seed's JSON format (Datadog's API Gateway integration). */
  public static AccessLogFormat defaultFormat() {
    return DEFAULT;
  }

  /** The format string this was compiled from. */
  public String template() {
    return compiled.template();
  }

  /** The distinct variables, in order, without {@code $}: e.g. {@code context.apiId}. */
  public List<String> variables() {
    return compiled.variables();
  }

  CompiledTemplate compiled() {
    return compiled;
  }

  @Override
  public String toString() {
    return "AccessLogFormat[" + compiled.template() + "]";
  }
}
