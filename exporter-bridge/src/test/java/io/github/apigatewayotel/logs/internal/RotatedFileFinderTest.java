package io.github.apigatewayotel.logs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatedFileFinderTest {

  private static final String LINES = "r1 200\nr2 200\n";

  @TempDir Path directory;

  private Path watched() {
    return directory.resolve("access.log");
  }

  /** The identity of {@code file} as a source that read {@code offset} bytes of it saves it. */
  private static FileIdentity identityOf(Path file, long offset) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return FileIdentity.ofChannel(FileIdentity.fileKey(file), channel, offset);
    }
  }

  private static Path write(Path file, String text) throws IOException {
    return Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  private static Path found(FollowedFile file) throws IOException {
    if (file == null) {
      return null;
    }
    try (file) {
      assertThat(file.offset()).isZero();
      return file.path().getFileName();
    }
  }

  @Test
  void findsTheRenamedFileByKeyAndFirstBytesNotByName() throws IOException {
    FileIdentity identity = identityOf(write(watched(), LINES), LINES.length());
    Files.move(watched(), directory.resolve("access.log-20261130"));
    // Same bytes, other files: the new file at the path and a copy are not the renamed file.
    write(watched(), LINES);
    write(directory.resolve("access.log.2"), LINES);

    RotatedFileFinder finder = new RotatedFileFinder(watched());

    assertThat(found(finder.findRenamed(identity, LINES.length())))
        .isEqualTo(Path.of("access.log-20261130"));
    assertThat(found(finder.findRenamed(identity, LINES.length() + 1))).isNull();
  }

  @Test
  void skipsCompressedOtherwiseNamedAndNonRegularFiles() throws IOException {
    FileIdentity identity = identityOf(write(watched(), LINES), LINES.length());
    Files.move(watched(), directory.resolve("access.log.1.gz"));
    Files.createDirectory(directory.resolve("access.log.d"));
    RotatedFileFinder finder = new RotatedFileFinder(watched());

    assertThat(found(finder.findRenamed(identity, 0))).isNull();

    Files.move(directory.resolve("access.log.1.gz"), directory.resolve("old-access.log"));
    assertThat(found(finder.findRenamed(identity, 0))).isNull();

    Files.move(directory.resolve("old-access.log"), directory.resolve("access.log.1"));
    assertThat(found(finder.findRenamed(identity, 0))).isEqualTo(Path.of("access.log.1"));
  }

  @Test
  void findsTheNewestCopyLongerThanWhatWasRead() throws IOException {
    write(watched(), LINES);
    FileIdentity identity = identityOf(watched(), 7); // the first line was read
    Path older = write(directory.resolve("access.log.2"), LINES + "r3 200\n");
    Files.setLastModifiedTime(older, FileTime.from(Instant.parse("2026-11-29T00:00:00Z")));
    Path newer = write(directory.resolve("access.log.1"), LINES);
    Files.setLastModifiedTime(newer, FileTime.from(Instant.parse("2026-11-30T00:00:00Z")));
    write(directory.resolve("access.log.3"), "r1 20"); // shorter than what was read
    write(directory.resolve("access.log.4"), "x1 200\nx2 200\n"); // other first bytes
    RotatedFileFinder finder = new RotatedFileFinder(watched());

    assertThat(found(finder.findCopy(identity, 7))).isEqualTo(Path.of("access.log.1"));
    assertThat(found(finder.findCopy(identity, LINES.length()))).isEqualTo(Path.of("access.log.2"));
    assertThat(found(finder.findCopy(identity, LINES.length() + 7))).isNull();
    // The watched file itself shares the key, so it is never its own copy, nor is a rename.
    assertThat(found(finder.findRenamed(identity, 7))).isNull();
  }

  @Test
  void nothingIdentifiesAnEmptyHead() throws IOException {
    write(watched(), "");
    FileIdentity empty = identityOf(watched(), 0);
    write(directory.resolve("access.log.1"), LINES);

    assertThat(found(new RotatedFileFinder(watched()).findCopy(empty, 0))).isNull();
  }

  @Test
  void examinesNoMoreEntriesThanItsCap() throws IOException {
    FileIdentity identity = identityOf(write(watched(), LINES), LINES.length());
    Files.move(watched(), directory.resolve("access.log.1"));

    assertThat(found(new RotatedFileFinder(watched(), 0).findRenamed(identity, 0))).isNull();
    assertThat(found(new RotatedFileFinder(watched(), 1).findRenamed(identity, 0)))
        .isEqualTo(Path.of("access.log.1"));
  }

  @Test
  void findsARenamedEmptyFileByItsKeyAlone() throws IOException {
    FileIdentity empty = identityOf(write(watched(), ""), 0);
    Files.move(watched(), directory.resolve("access.log.1"));
    Files.writeString(directory.resolve("access.log.1"), LINES, StandardOpenOption.APPEND);
    write(watched(), LINES);

    assertThat(found(new RotatedFileFinder(watched()).findRenamed(empty, 0)))
        .isEqualTo(Path.of("access.log.1"));
  }

  @Test
  void listsTheNonEmptyRotatedFilesNewerThanATimeOldestFirst() throws IOException {
    Instant since = Instant.parse("2026-11-30T00:00:00Z");
    Path before = write(directory.resolve("access.log.4"), LINES);
    Files.setLastModifiedTime(before, FileTime.from(since.minusSeconds(1)));
    Path at = write(directory.resolve("access.log.3"), LINES);
    Files.setLastModifiedTime(at, FileTime.from(since));
    Path later = write(directory.resolve("access.log.1"), LINES);
    Files.setLastModifiedTime(later, FileTime.from(since.plusSeconds(60)));
    Path sameTime = write(directory.resolve("access.log.2"), LINES); // older by its number
    Files.setLastModifiedTime(sameTime, FileTime.from(since.plusSeconds(60)));
    Path excluded = write(directory.resolve("access.log-x"), LINES);
    Files.setLastModifiedTime(excluded, FileTime.from(since.plusSeconds(30)));
    for (String skipped : List.of("access.log.5.gz", "access.log.6", "other.log")) {
      Path path = write(directory.resolve(skipped), skipped.equals("access.log.6") ? "" : LINES);
      Files.setLastModifiedTime(path, FileTime.from(since.plusSeconds(30)));
    }
    RotatedFileFinder finder = new RotatedFileFinder(watched());
    Set<String> excludedKeys = Set.of(FileIdentity.fileKey(excluded));

    assertThat(names(finder.newerSiblings(FileTime.from(since), false, excludedKeys)))
        .containsExactly("access.log.2", "access.log.1");
    assertThat(names(finder.newerSiblings(FileTime.from(since), true, excludedKeys)))
        .containsExactly("access.log.3", "access.log.2", "access.log.1");
    assertThat(names(finder.newerSiblings(FileTime.from(since), false, Set.of())))
        .containsExactly("access.log-x", "access.log.2", "access.log.1");
  }

  private static List<String> names(List<RotatedFileFinder.Sibling> siblings) {
    return siblings.stream().map(sibling -> sibling.path().getFileName().toString()).toList();
  }
}
