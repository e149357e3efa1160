package io.github.apigatewayotel.receiver.internal;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Persists each query's high-water mark in the state directory, so a restarted receiver never
 * exports a period twice. Written to a temporary file, forced to disk, then atomically renamed:
 * a crash leaves either the old or the new file, never half of one.
 */
public final class HighWaterMarkStore {

  static final String FILE_NAME = "receiver-high-water-marks.tsv";
  private static final String HEADER = "# apigateway-otel receiver high-water marks v1: query-key<TAB>period-start-epoch-second";

  private final Path file;

  public HighWaterMarkStore(Path directory) {
    this.file = directory.resolve(FILE_NAME);
  }

  public Map<String, Long> load() throws IOException {
    Map<String, Long> marks = new HashMap<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return marks;
    }
    for (String line : lines) {
      int tab = line.indexOf('\t');
      if (line.startsWith("#") || tab < 0) {
        continue;
      }
      try {
        marks.put(URLDecoder.decode(line.substring(0, tab), StandardCharsets.UTF_8), Long.parseLong(line.substring(tab + 1)));
      } catch (IllegalArgumentException e) {
        ProblemLog.logger().warning("ignoring a corrupt line of " + file + ": " + e.getMessage());
      }
    }
    return marks;
  }

  /** Saves the marks of every query that exported something, plus {@code retained} marks of queries not planned now. */
  public void save(List<QueryPlan> plans, Map<String, Long> retained) throws IOException {
    Files.createDirectories(file.getParent());
    Path temp = file.resolveSibling(FILE_NAME + ".tmp");
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
        BufferedWriter out = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8))) {
      out.write(HEADER);
      out.newLine();
      for (Map.Entry<String, Long> entry : retained.entrySet()) {
        write(out, entry.getKey(), entry.getValue());
      }
      for (QueryPlan plan : plans) {
        for (PlannedQuery query : plan.queries()) {
          long mark = query.exportedMark; // never past what the host exported: a restart resumes there
          if (mark != PlannedQuery.NONE && !retained.containsKey(query.key())) {
            write(out, query.key(), mark);
          }
        }
      }
      out.flush();
      channel.force(true);
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static void write(BufferedWriter out, String key, long mark) throws IOException {
    out.write(URLEncoder.encode(key, StandardCharsets.UTF_8));
    out.write('\t');
    out.write(Long.toString(mark));
    out.newLine();
  }
}
