package io.github.apigatewayotel.logs.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An access-log format compiled once: the distinct variables (each with a value slot and a
 * binding), a fast parser, and for JSON a tolerant fallback parser.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class CompiledTemplate {

  /** Distinct recent values remembered per variable (a power of two). */
  private static final int RECENT_VALUES_PER_SLOT = 4;

  private final String template;
  private final List<String> variables;
  private final VariableBinding[] bindings;
  private final LineParser fastPath;
  private final LineParser fallback;

  /** JSON only: tried after both others failed (values with unescaped quotes). */
  private final LineParser lastResort;

  private final boolean json;

  /**
   * The last few Strings produced per slot, reused when a later line has the same text (API ids,
   * stages, routes, client addresses repeat): fewer allocations. Benign races: a stale or lost
   * entry only costs an allocation.
   */
  private final String[][] recentValues;

  /** Round-robin replacement in {@link #recentValues}; a racy count is harmless. */
  private int nextVictim;

  private CompiledTemplate(
      String template,
      List<String> variables,
      VariableBinding[] bindings,
      LineParser fastPath,
      LineParser fallback,
      LineParser lastResort,
      boolean json) {
    this.template = template;
    this.variables = variables;
    this.bindings = bindings;
    this.fastPath = fastPath;
    this.fallback = fallback;
    this.lastResort = lastResort;
    this.json = json;
    this.recentValues = new String[bindings.length][RECENT_VALUES_PER_SLOT];
  }

  /** Compiles {@code template}; IllegalArgumentException says why when it cannot be used. */
  public static CompiledTemplate compile(String template) {
    List<TemplateToken> tokens = TemplateTokenizer.tokenize(template);
    Map<String, Integer> slots = new LinkedHashMap<>();
    for (TemplateToken token : tokens) {
      if (token.isVariable()) {
        slots.putIfAbsent(token.text(), slots.size());
      }
    }
    if (slots.isEmpty()) {
      throw new IllegalArgumentException(
          "access log format has no $context variable (expected e.g. $context.requestId): \""
              + abbreviate(template)
              + "\"");
    }
    List<String> names = List.copyOf(new ArrayList<>(slots.keySet()));
    LiteralSegmentParser.SlotResolver slotOf = slots::get;
    JsonTemplateCompiler.JsonParsers jsonParsers =
        JsonTemplateCompiler.compile(tokens, slotOf, names);
    Set<Integer> unquoted = jsonParsers == null ? Set.of() : jsonParsers.unquotedSlots();
    VariableBinding[] bindings = new VariableBinding[names.size()];
    for (int i = 0; i < bindings.length; i++) {
      bindings[i] = VariableBinding.of(names.get(i), unquoted.contains(i));
    }
    if (jsonParsers != null) {
      return new CompiledTemplate(
          template,
          names,
          bindings,
          jsonParsers.fastPath(),
          jsonParsers.fallback(),
          jsonParsers.lastResort(),
          true);
    }
    return new CompiledTemplate(
        template, names, bindings, LiteralSegmentParser.compile(tokens, slotOf), null, null, false);
  }

  /** Parses {@code line} into {@code values} (of {@link #slotCount()} slots); true if it fit. */
  public boolean parse(String line, LineValues values) {
    values.reset(line);
    if (fastPath.parse(line, values)) {
      return true;
    }
    values.reset(line);
    if (fallback != null && fallback.parse(line, values)) {
      return true;
    }
    values.reset(line);
    if (lastResort != null && lastResort.parse(line, values)) {
      return true;
    }
    values.reset(line);
    return false;
  }

  /** The value of {@code slot} as a String, reusing the previous line's when equal. */
  public String recentString(LineValues values, int slot) {
    String[] recent = recentValues[slot];
    for (String candidate : recent) {
      if (candidate != null && values.equalsText(slot, candidate)) {
        return candidate;
      }
    }
    String value = values.string(slot);
    recent[nextVictim++ & (RECENT_VALUES_PER_SLOT - 1)] = value;
    return value;
  }

  public String template() {
    return template;
  }

  /** The distinct variables, in order of first appearance, named without {@code $}. */
  public List<String> variables() {
    return variables;
  }

  public int slotCount() {
    return bindings.length;
  }

  public VariableBinding binding(int slot) {
    return bindings[slot];
  }

  public boolean isJson() {
    return json;
  }

  private static String abbreviate(String template) {
    return template.length() <= 80 ? template : template.substring(0, 77) + "...";
  }
}
