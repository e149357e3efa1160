package io.github.apigatewayotel.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README and {@code docs/} agree with the code: every {@code otel.apigateway.*} key a main
 * source reads is documented in exactly one table row (a row, not a header, whose first cell is the
 * key or names it as a deprecated spelling), no row documents a key nothing reads, every relative
 * link and {@code #anchor} of the repository's Markdown resolves, and the README still holds the
 * test command {@code .ci/run} runs. Keys are found as string literals in the main sources, so the
 * test needs no part of the configuration code and survives its reshaping.
 */
class ReadmeAndDocsTest {

  private static final Path ROOT = repositoryRoot();
  private static final Pattern KEY_LITERAL =
      Pattern.compile("\"(otel\\.apigateway\\.[a-z0-9_.]*[a-z0-9])\"");
  private static final Pattern KEY_ROW = Pattern.compile("^\\| `(otel\\.apigateway\\.[^`]+)`(.*)$");
  private static final Pattern DEPRECATED =
      Pattern.compile("deprecated spelling: `(otel\\.apigateway\\.[^`]+)`");
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern HEADING = Pattern.compile("^#{1,6} (.+?)\\s*#*\\s*$");

  @Test
  void everyKeyTheCodeReadsIsDocumentedInExactlyOneTableRow() {
    Set<String> read = keysReadByTheCode();
    Map<String, Integer> documented = documentedKeyCounts();
    assertThat(read)
        .as("keys found in the main sources (a scan that found none proves nothing)")
        .hasSizeGreaterThan(40);
    Map<String, Integer> wrong = new TreeMap<>();
    for (String key : read) {
      int count = documented.getOrDefault(key, 0);
      if (count != 1) {
        wrong.put(key, count);
      }
    }
    assertThat(wrong)
        .as(
            "keys read by the code and the number of README/docs table rows documenting each (want 1)")
        .isEmpty();
  }

  @Test
  void everyDocumentedKeyIsOneTheCodeReads() {
    // A dotted spelling counts as read when the code reads its underscore spelling: autoconfigure
    // finds a key under its environment variable's name, where every underscore is a dot.
    Set<String> read =
        keysReadByTheCode().stream().map(key -> key.replace('_', '.')).collect(Collectors.toSet());
    Set<String> documented = documentedKeyCounts().keySet();
    assertThat(documented).hasSizeGreaterThan(40);
    assertThat(documented.stream().filter(key -> !read.contains(key.replace('_', '.'))))
        .as("keys documented in README/docs that no main source reads")
        .isEmpty();
  }

  @Test
  void everyRelativeLinkAndAnchorResolves() {
    List<String> broken = new ArrayList<>();
    int checked = 0;
    for (Path page : markdownPages()) {
      for (String target : links(page)) {
        if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
          continue; // https:, mailto:: not this test's business
        }
        checked++;
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        Path resolved = path.isEmpty() ? page : page.getParent().resolve(path).normalize();
        if (!Files.exists(resolved)) {
          broken.add(ROOT.relativize(page) + ": " + target + " (no such file)");
        } else if (hash >= 0
            && resolved.toString().endsWith(".md")
            && !anchors(resolved).contains(target.substring(hash + 1))) {
          broken.add(ROOT.relativize(page) + ": " + target + " (no such heading)");
        }
      }
    }
    assertThat(checked).as("relative links checked").isGreaterThan(100);
    assertThat(broken).isEmpty();
  }

  @Test
  void theReadmeHoldsTheTestCommandCiRuns() {
    List<String> ci = read(ROOT.resolve(".ci/run"));
    String command = ci.get(ci.indexOf("# The README's test command:") + 1);
    assertThat(command).isEqualTo("./mvnw -B -ntp verify");
    assertThat(fencedLines(ROOT.resolve("README.md"))).contains(command);
  }

  private static Set<String> keysReadByTheCode() {
    Set<String> keys = new TreeSet<>();
    for (Path file : files(".java")) {
      if (ROOT.relativize(file).toString().replace('\\', '/').matches("[^/]+/src/main/java/.*")) {
        Matcher matcher = KEY_LITERAL.matcher(String.join("\n", read(file)));
        while (matcher.find()) {
          keys.add(matcher.group(1));
        }
      }
    }
    return keys;
  }

  /** Each key documented in a table row of the README or docs/, with the number of rows. */
  private static Map<String, Integer> documentedKeyCounts() {
    List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    pages.addAll(
        markdownPages().stream()
            .filter(page -> page.getParent().equals(ROOT.resolve("docs")))
            .toList());
    Map<String, Integer> counts = new TreeMap<>();
    for (Path page : pages) {
      List<String> lines = read(page);
      for (int i = 0; i < lines.size(); i++) {
        Matcher row = KEY_ROW.matcher(lines.get(i));
        boolean header = i + 1 < lines.size() && lines.get(i + 1).startsWith("| ---");
        if (row.matches() && !header) {
          counts.merge(row.group(1), 1, Integer::sum);
          String firstCell = row.group(2).split("(?<!\\\\)\\|", 2)[0];
          Matcher deprecated = DEPRECATED.matcher(firstCell);
          while (deprecated.find()) {
            counts.merge(deprecated.group(1), 1, Integer::sum);
          }
        }
      }
    }
    return counts;
  }

  private static List<Path> markdownPages() {
    return files(".md");
  }

  /**
   * The repository's files ending in {@code suffix}, build output, dot-directories (.git, .m2repo)
   * left out.
   */
  private static List<Path> files(String suffix) {
    List<Path> found = new ArrayList<>();
    try {
      Files.walkFileTree(
          ROOT,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
              String name = dir.getFileName().toString();
              boolean ignored =
                  name.equals("target") || name.equals("node_modules") || name.startsWith(".");
              return ignored && !dir.equals(ROOT)
                  ? FileVisitResult.SKIP_SUBTREE
                  : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
              if (file.toString().endsWith(suffix)) {
                found.add(file);
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    found.sort(null);
    return found;
  }

  private static List<String> links(Path page) {
    List<String> targets = new ArrayList<>();
    for (String line : unfencedLines(page)) {
      Matcher link = LINK.matcher(line);
      while (link.find()) {
        targets.add(link.group(1));
      }
    }
    return targets;
  }

  /**
   * The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as dashes.
   */
  private static Set<String> anchors(Path page) {
    Set<String> anchors = new TreeSet<>();
    Map<String, Integer> seen = new HashMap<>();
    for (String line : unfencedLines(page)) {
      Matcher heading = HEADING.matcher(line);
      if (heading.matches()) {
        String slug =
            heading
                .group(1)
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N} _-]", "")
                .replace(' ', '-');
        int earlier = seen.merge(slug, 1, Integer::sum) - 1;
        anchors.add(earlier == 0 ? slug : slug + "-" + earlier);
      }
    }
    return anchors;
  }

  private static List<String> unfencedLines(Path page) {
    return lines(page, false);
  }

  private static List<String> fencedLines(Path page) {
    return lines(page, true);
  }

  /**
   * The page's lines inside code fences ({@code inFence}) or outside them, fence lines left out.
   */
  private static List<String> lines(Path page, boolean inFence) {
    List<String> lines = new ArrayList<>();
    boolean fenced = false;
    for (String line : read(page)) {
      if (line.stripLeading().startsWith("```")) {
        fenced = !fenced;
      } else if (fenced == inFence) {
        lines.add(line);
      }
    }
    return lines;
  }

  private static List<String> read(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
  }

  /** The module runs with spi/ as its working directory; the repository root holds .ci/run. */
  private static Path repositoryRoot() {
    Path here = Path.of("").toAbsolutePath();
    for (Path dir = here; dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve(".ci/run")) && Files.exists(dir.resolve("README.md"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no repository root (with .ci/run) above " + here);
  }
}
