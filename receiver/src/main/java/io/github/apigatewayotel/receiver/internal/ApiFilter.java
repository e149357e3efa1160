package io.github.apigatewayotel.receiver.internal;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which APIs to monitor. An API is kept when it matches an include (by name or id, {@code *}
 * wildcards allowed, or by tag {@code key=value}; no includes means all) and no exclude.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class ApiFilter {

  private final List<Pattern> includeNames;
  private final List<Pattern> excludeNames;
  private final Map<String, List<String>> includeTags;
  private final Map<String, List<String>> excludeTags;
  private final boolean detailedMetrics;

  public ApiFilter(
      List<String> includeNames,
      List<String> excludeNames,
      Map<String, List<String>> includeTags,
      Map<String, List<String>> excludeTags) {
    this(includeNames, excludeNames, includeTags, excludeTags, true);
  }

  /**
   * @param detailedMetrics whether per-route / per-method series are polled
   */
  public ApiFilter(
      List<String> includeNames,
      List<String> excludeNames,
      Map<String, List<String>> includeTags,
      Map<String, List<String>> excludeTags,
      boolean detailedMetrics) {
    this.detailedMetrics = detailedMetrics;
    this.includeNames = includeNames.stream().map(ApiFilter::glob).toList();
    this.excludeNames = excludeNames.stream().map(ApiFilter::glob).toList();
    this.includeTags = Map.copyOf(includeTags);
    this.excludeTags = Map.copyOf(excludeTags);
  }

  public static ApiFilter all() {
    return new ApiFilter(List.of(), List.of(), Map.of(), Map.of());
  }

  /**
   * Whether series of this dimension set are polled: per-route ones only with detailed metrics on.
   */
  public boolean acceptsDimensions(Map<String, String> dimensions) {
    return detailedMetrics
        || !(dimensions.containsKey("Route")
            || dimensions.containsKey("Method")
            || dimensions.containsKey("Resource"));
  }

  /** Whether to monitor {@code api}, whose API and stage tags are {@code tags}. */
  public boolean accepts(DiscoveredApi api, Map<String, String> tags) {
    if (matchesName(excludeNames, api) || matchesTag(excludeTags, tags)) {
      return false;
    }
    if (includeNames.isEmpty() && includeTags.isEmpty()) {
      return true;
    }
    return matchesName(includeNames, api) || matchesTag(includeTags, tags);
  }

  /**
   * Whether to monitor an API known only by what a series' dimension names ({@code ApiName} or
   * {@code ApiId}: an account the receiver cannot discover): name filters apply to that value; its
   * tags are unknown, so no tag exclude removes it and no tag include selects it.
   */
  public boolean acceptsUndiscovered(String nameOrId) {
    if (matchesValue(excludeNames, nameOrId)) {
      return false;
    }
    return (includeNames.isEmpty() && includeTags.isEmpty())
        || matchesValue(includeNames, nameOrId);
  }

  private static boolean matchesValue(List<Pattern> patterns, String value) {
    for (Pattern pattern : patterns) {
      if (pattern.matcher(value).matches()) {
        return true;
      }
    }
    return false;
  }

  private static boolean matchesName(List<Pattern> patterns, DiscoveredApi api) {
    return matchesValue(patterns, api.name()) || matchesValue(patterns, api.id());
  }

  private static boolean matchesTag(Map<String, List<String>> wanted, Map<String, String> tags) {
    for (Map.Entry<String, List<String>> entry : wanted.entrySet()) {
      String value = tags.get(entry.getKey());
      if (value != null && entry.getValue().contains(value)) {
        return true;
      }
    }
    return false;
  }

  private static Pattern glob(String glob) {
    StringBuilder regex = new StringBuilder();
    String[] parts = glob.split("\\*", -1);
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        regex.append(".*");
      }
      regex.append(Pattern.quote(parts[i]));
    }
    return Pattern.compile(regex.toString());
  }
}
