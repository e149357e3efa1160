package io.github.apigatewayotel.logs.internal.cloudwatch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;

/**
 * The checkpoint file format: UTF-8 text, one fact a line, readable by a person debugging a
 * restart.
 *
 * <pre>
 * apigateway-otel cloudwatch-logs checkpoint 1
 * group api-gateway-prod
 * floor 1700000000000
 * seen 1700000000123 37893827658123...
 * </pre>
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
final class CheckpointCodec {

  static final String HEADER = "apigateway-otel cloudwatch-logs checkpoint 1";

  private CheckpointCodec() {}

  static String encode(String logGroup, GroupCheckpoint checkpoint) {
    StringBuilder text = new StringBuilder(64 + checkpoint.seenCount() * 72);
    text.append(HEADER).append('\n');
    text.append("group ").append(logGroup).append('\n');
    text.append("floor ").append(checkpoint.floor()).append('\n');
    for (GroupCheckpoint.SeenEvent event : checkpoint.seenEvents()) {
      text.append("seen ")
          .append(event.timestamp())
          .append(' ')
          .append(event.eventId())
          .append('\n');
    }
    return text.toString();
  }

  /**
   * Decodes a checkpoint written for {@code logGroup}.
   *
   * @throws IllegalArgumentException if the text is not a checkpoint of that group
   * @throws IOException if it cannot be read (invalid UTF-8, say)
   */
  static GroupCheckpoint decode(String logGroup, BufferedReader lines) throws IOException {
    if (!HEADER.equals(lines.readLine())) {
      throw new IllegalArgumentException("not a checkpoint (header)");
    }
    String group = lines.readLine();
    if (group == null || !group.equals("group " + logGroup)) {
      throw new IllegalArgumentException("checkpoint of another log group: " + group);
    }
    String floor = lines.readLine();
    if (floor == null || !floor.startsWith("floor ")) {
      throw new IllegalArgumentException("no floor line");
    }
    GroupCheckpoint checkpoint =
        GroupCheckpoint.startingAt(parseLong(floor.substring("floor ".length())));
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      if (line.isEmpty()) {
        continue;
      }
      String[] parts = line.split(" ");
      if (parts.length != 3 || !parts[0].equals("seen")) {
        throw new IllegalArgumentException("bad line: " + line);
      }
      checkpoint.markEmitted(parseLong(parts[1]), parts[2]);
    }
    return checkpoint;
  }

  /** Decodes checkpoint text (see {@link #decode(String, BufferedReader)}). */
  static GroupCheckpoint decode(String logGroup, String text) {
    try {
      return decode(logGroup, new BufferedReader(new StringReader(text)));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringReader does not fail
    }
  }

  private static long parseLong(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number: " + value, e);
    }
  }
}
