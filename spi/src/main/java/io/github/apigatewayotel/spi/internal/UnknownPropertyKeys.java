package io.github.apigatewayotel.spi.internal;

import io.github.apigatewayotel.logs.internal.NearestName;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Logger;

/**
 * {@code otel.apigateway.*} keys the plugin does not read: most likely typos, which would otherwise
 * be ignored without a word (a misspelled {@code logs.source} silently falls back to CloudWatch).
 * Looked for where the plugin can list keys: system properties, {@code OTEL_APIGATEWAY_*}
 * environment variables, and the Java agent's configuration file; autoconfigure offers no way to
 * list the rest (properties a host supplies in code). Each is named once at start-up with the known
 * key nearest to it.
 */
final class UnknownPropertyKeys {

  static final String PREFIX = "otel.apigateway.";
  static final String ENV_PREFIX = "OTEL_APIGATEWAY_";

  /** Where the Java agent reads its configuration file from (either spelling). */
  static final String AGENT_FILE_PROPERTY = "otel.javaagent.configuration-file";

  static final String AGENT_FILE_ENV = "OTEL_JAVAAGENT_CONFIGURATION_FILE";

  private static final Logger logger = Logger.getLogger(UnknownPropertyKeys.class.getName());

  /** One key that is not the plugin's, as the user spelled it, and the nearest known spelling. */
  record Unknown(String spelled, String where, Optional<String> nearest) {
    String message() {
      return "apigateway-otel: "
          + spelled
          + " ("
          + where
          + ") is not an apigateway-otel property and is ignored"
          + nearest.map(key -> "; did you mean " + key + "?").orElse("")
          + " (every property is in docs/configuration.md)";
    }
  }

  private UnknownPropertyKeys() {}

  /**
   * Logs each unknown key once, at WARNING, looking where this JVM's configuration can come from.
   */
  static void warn(Set<String> known) {
    try {
      warnOrThrow(known);
    } catch (RuntimeException e) {
      // A hint for the user: looking for it must never stop the host (a SecurityManager, say).
      logger.log(
          java.util.logging.Level.FINE, "apigateway-otel: could not look for unknown keys", e);
    }
  }

  private static void warnOrThrow(Set<String> known) {
    Map<String, String> systemProperties = new HashMap<>();
    System.getProperties()
        .forEach((key, value) -> systemProperties.put(String.valueOf(key), String.valueOf(value)));
    Map<String, String> environment = System.getenv();
    for (Unknown unknown :
        find(
            known,
            systemProperties,
            environment,
            agentConfigurationFile(systemProperties, environment))) {
      logger.warning(unknown.message());
    }
  }

  /**
   * The unknown keys of each source, sorted. Keys compare as autoconfigure normalizes them: system
   * properties and file entries lower-cased with {@code -} read as {@code .}; environment variables
   * lower-cased with {@code _} read as {@code .}.
   */
  static List<Unknown> find(
      Set<String> known,
      Map<String, String> systemProperties,
      Map<String, String> environment,
      Map<String, String> agentFile) {
    Set<String> knownProperties = new LinkedHashSet<>();
    Set<String> knownVariables = new LinkedHashSet<>();
    for (String key : known) {
      if (key.startsWith(PREFIX)) {
        knownProperties.add(asProperty(key));
        knownVariables.add(asVariableKey(key));
      }
    }
    List<Unknown> unknown = new ArrayList<>();
    unknown.addAll(
        unknownProperties(known, knownProperties, systemProperties, "a system property"));
    unknown.addAll(
        unknownProperties(
            known, knownProperties, agentFile, "in the Java agent's configuration file"));
    for (String name : new TreeMap<>(environment).keySet()) {
      if (name.toUpperCase(Locale.ROOT).startsWith(ENV_PREFIX)
          && !knownVariables.contains(asVariableKey(name))) {
        unknown.add(
            new Unknown(
                name,
                "an environment variable, read as " + asVariableKey(name),
                nearest(name.substring(ENV_PREFIX.length()), environmentNames(known), ENV_PREFIX)));
      }
    }
    return List.copyOf(unknown);
  }

  private static List<Unknown> unknownProperties(
      Set<String> known, Set<String> knownProperties, Map<String, String> source, String where) {
    List<Unknown> unknown = new ArrayList<>();
    for (String key : new TreeMap<>(source).keySet()) {
      if (asProperty(key).startsWith(PREFIX) && !knownProperties.contains(asProperty(key))) {
        List<String> suffixes = new ArrayList<>();
        known.stream()
            .filter(k -> k.startsWith(PREFIX))
            .sorted()
            .forEach(k -> suffixes.add(k.substring(PREFIX.length())));
        unknown.add(
            new Unknown(
                key, where, nearest(asProperty(key).substring(PREFIX.length()), suffixes, PREFIX)));
      }
    }
    return unknown;
  }

  /** Compared without the shared prefix, so its length does not loosen the match. */
  private static Optional<String> nearest(String suffix, List<String> candidates, String prefix) {
    return NearestName.of(suffix, candidates).map(candidate -> prefix + candidate);
  }

  private static List<String> environmentNames(Set<String> known) {
    Set<String> names = new java.util.TreeSet<>();
    for (String key : known) {
      if (key.startsWith(PREFIX)) {
        names.add(
            key.substring(PREFIX.length())
                .toUpperCase(Locale.ROOT)
                .replace('.', '_')
                .replace('-', '_'));
      }
    }
    return List.copyOf(names);
  }

  private static String asProperty(String key) {
    return key.toLowerCase(Locale.ROOT).replace('-', '.');
  }

  private static String asVariableKey(String key) {
    return key.toLowerCase(Locale.ROOT).replace('_', '.').replace('-', '.');
  }

  /** The Java agent's configuration file, when one is named and readable; else nothing. */
  static Map<String, String> agentConfigurationFile(
      Map<String, String> systemProperties, Map<String, String> environment) {
    String file =
        systemProperties.getOrDefault(AGENT_FILE_PROPERTY, environment.get(AGENT_FILE_ENV));
    if (file == null || file.isBlank()) {
      return Map.of();
    }
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(Path.of(file.trim()), StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException
        | IllegalArgumentException
            e) { // IllegalArgumentException: a bad path, or a malformed escape in the file
      return Map.of(); // the agent itself reports a file it cannot read
    }
    Map<String, String> entries = new HashMap<>();
    properties.forEach((key, value) -> entries.put(String.valueOf(key), String.valueOf(value)));
    return entries;
  }
}
