package io.github.apigatewayotel.logs;

import io.github.apigatewayotel.logs.internal.CompiledTemplate;
import io.github.apigatewayotel.logs.internal.NamedFormats;
import java.util.List;
import java.util.Objects;

/**
 * An API Gateway access-log format, compiled once into a parser. Create one per distinct format
 * and reuse it; it is immutable and thread-safe.
 */
public final class AccessLogFormat {

  private static final AccessLogFormat DEFAULT = new AccessLogFormat(
      CompiledTemplate.compile(NamedFormats.SEED_JSON));

  private final CompiledTemplate compiled;

  private AccessLogFormat(CompiledTemplate compiled) {
    this.compiled = compiled;
  }

  /**
   * A named format or a format string. Names: {@code json} (the seed's JSON, the default),
   * {@code clf}, {@code csv}, {@code xml} and {@code aws-json} (AWS's documented examples).
   * Anything else is read as a format string as typed into API Gateway's "Log format" box.
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
    return new AccessLogFormat(CompiledTemplate.compile(named != null ? named : nameOrTemplate));
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
