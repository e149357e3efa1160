package io.github.apigatewayotel.receiver.internal;

import io.github.apigatewayotel.state.StateFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Persists each query's high-water mark in the state directory, so a restarted receiver never
 * exports a period twice: a {@link StateFile}, written atomically and durably, whose damage is
 * detected. A damaged file is set aside and every query resumes from the time it was last saved
 * minus the lookback ({@link Marks#resumeFrom}): periods exported within that lookback are exported
 * again, none after the last save is lost (within the receiver's catch-up reach). Files of the
 * previous version (the same lines without the envelope) are still read.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class HighWaterMarkStore {

  static final String FILE_NAME = "receiver-high-water-marks.tsv";
  private static final String KIND = "receiver-marks";
  private static final String HEADER =
      "# apigateway-otel receiver high-water marks v1: query-key<TAB>period-start-epoch-second";

  /**
   * The marks read; {@code resumeFrom} is null unless the file was damaged: then the marks are
   * empty and every query resumes from it.
   */
  public record Marks(Map<String, Long> marks, Instant resumeFrom) {}

  private final StateFile state;

  public HighWaterMarkStore(Path directory) {
    this.state = StateFile.of(directory.resolve(FILE_NAME), KIND);
  }

  /**
   * The saved marks. After damage (logged and set aside) every query resumes from the file's last
   * save minus {@code lookback}.
   *
   * @throws IOException when the file cannot be read at all (nothing is known of its content)
   */
  public Marks load(java.time.Duration lookback) throws IOException {
    StateFile.Loaded<Map<String, Long>> loaded =
        state.load(
            HighWaterMarkStore::read,
            file -> read(new BufferedReader(strictUtf8(file))),
            "API Gateway metrics resume from the time it was last saved minus the lookback ("
                + lookback
                + "): periods exported since are exported again");
    if (loaded.damaged()) {
      return new Marks(Map.of(), loaded.savedAt().toInstant().minus(lookback));
    }
    return new Marks(loaded.value() == null ? Map.of() : loaded.value(), null);
  }

  /** The lines {@code key<TAB>mark}; one that is not fails the whole file. */
  private static Map<String, Long> read(BufferedReader lines) throws IOException {
    Map<String, Long> marks = new HashMap<>();
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      if (line.startsWith("#") || line.isEmpty()) {
        continue;
      }
      int tab = line.indexOf('\t');
      if (tab < 0) {
        throw new IllegalArgumentException("not a mark line: " + line);
      }
      marks.put(
          URLDecoder.decode(line.substring(0, tab), StandardCharsets.UTF_8),
          Long.parseLong(line.substring(tab + 1)));
    }
    return marks;
  }

  private static InputStreamReader strictUtf8(InputStream file) {
    return new InputStreamReader(
        file,
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT));
  }

  /**
   * Saves the marks of every query that exported something, plus {@code retained} marks of queries
   * not planned now.
   */
  public void save(List<QueryPlan> plans, Map<String, Long> retained) throws IOException {
    state.save(
        out -> {
          out.write(HEADER);
          out.write('\n');
          for (Map.Entry<String, Long> entry : retained.entrySet()) {
            write(out, entry.getKey(), entry.getValue());
          }
          for (QueryPlan plan : plans) {
            for (PlannedQuery query : plan.queries()) {
              long mark =
                  query.exportedMark; // never past what the host exported: a restart resumes there
              if (mark != PlannedQuery.NONE && !retained.containsKey(query.key())) {
                write(out, query.key(), mark);
              }
            }
          }
        });
  }

  private static void write(Writer out, String key, long mark) throws IOException {
    out.write(URLEncoder.encode(key, StandardCharsets.UTF_8));
    out.write('\t');
    out.write(Long.toString(mark));
    out.write('\n');
  }
}
