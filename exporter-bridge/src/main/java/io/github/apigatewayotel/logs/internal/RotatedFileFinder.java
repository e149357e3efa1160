package io.github.apigatewayotel.logs.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Finds, next to a followed file, the file it was rotated into, by identity rather than by name (as
 * Filebeat and Fluent Bit track files): the renamed file (logrotate {@code create}: same
 * file-system key and first bytes) or the copy ({@code copytruncate}: another key, same first
 * bytes). Only regular files whose name starts with the followed file's name are candidates ({@code
 * access.log.1}, {@code access.log-20261130}); compressed ones are skipped.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class RotatedFileFinder {

  /**
   * Directory entries examined per search at most, matching or not: a crowded log directory costs a
   * bounded scan on a restart or truncation, never a walk over all of it.
   */
  public static final int MAX_ENTRIES_EXAMINED = 1_000;

  /** Compressed rotations hold the lines in other bytes: they never match, and are not text. */
  private static final List<String> COMPRESSED_SUFFIXES = List.of(".gz", ".bz2", ".xz", ".zst");

  private static final Logger logger = Logger.getLogger(RotatedFileFinder.class.getName());

  private final Path directory;
  private final String name;
  private final int maxEntriesExamined;

  public RotatedFileFinder(Path followed) {
    this(followed, MAX_ENTRIES_EXAMINED);
  }

  public RotatedFileFinder(Path followed, int maxEntriesExamined) {
    Path absolute = followed.toAbsolutePath().normalize();
    this.directory = absolute.getParent();
    this.name = absolute.getFileName().toString();
    this.maxEntriesExamined = maxEntriesExamined;
  }

  /** A rotated file next to the followed one: where it is, its file-system key, its time. */
  public record Sibling(Path path, String key, FileTime modified) {}

  /**
   * The file {@code identity} names, renamed away from the followed path, when it holds at least
   * {@code offset} bytes: opened, positioned at its start. Null when there is none.
   *
   * <p>An identity taken over an empty file (no first bytes) is recognised by its file-system key
   * alone. The key can name another file once the checkpointed one is deleted (inode reuse), but
   * such a file was created after the checkpoint, so it holds only lines written since: the offset
   * is 0, so reading it whole repeats none. The risk is only reading it before an older file, which
   * is better than counting every renamed empty file lost.
   */
  public FollowedFile findRenamed(FileIdentity identity, long offset) throws IOException {
    return find(identity, offset, false);
  }

  /**
   * A copy of the file {@code identity} was taken over (another file-system key, the same first
   * bytes) holding more than {@code offset} bytes; the most recently modified one when several
   * match. Opened, positioned at its start; null when there is none.
   */
  public FollowedFile findCopy(FileIdentity identity, long offset) throws IOException {
    return find(identity, offset, true);
  }

  private FollowedFile find(FileIdentity identity, long offset, boolean copy) throws IOException {
    if (directory == null || (copy && identity.headLength() == 0)) {
      return null; // a copy has another key: without first bytes nothing recognises it
    }
    FollowedFile best = null;
    FileTime bestModified = null;
    int examined = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      for (Path candidate : entries) {
        if (++examined > maxEntriesExamined) {
          logger.log(
              Level.INFO,
              "Stopped looking for a rotated {0} after {1} directory entries",
              new Object[] {name, maxEntriesExamined});
          break;
        }
        if (!isRotationName(candidate.getFileName().toString())) {
          continue;
        }
        BasicFileAttributes attributes = attributesOrNull(candidate);
        FollowedFile match =
            attributes == null
                ? null
                : openIfMatching(candidate, attributes, identity, offset, copy);
        if (match == null) {
          continue;
        }
        if (best == null || attributes.lastModifiedTime().compareTo(bestModified) > 0) {
          closeQuietly(best);
          best = match;
          bestModified = attributes.lastModifiedTime();
        } else {
          closeQuietly(match);
        }
      }
    } catch (IOException | RuntimeException e) {
      closeQuietly(best);
      throw e;
    }
    return best;
  }

  /**
   * The non-empty rotated files modified after {@code since} (or at it, when {@code inclusive}),
   * oldest first, leaving out those whose key is in {@code excludedKeys}: the files rotated after a
   * checkpointed one while the host was stopped ({@code access.log.2}, then {@code .1}). Ties in
   * time go by name. Examines at most {@link #MAX_ENTRIES_EXAMINED} entries.
   */
  public List<Sibling> newerSiblings(FileTime since, boolean inclusive, Set<String> excludedKeys)
      throws IOException {
    List<Sibling> newer = new ArrayList<>();
    if (directory == null) {
      return newer;
    }
    int examined = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      for (Path candidate : entries) {
        if (++examined > maxEntriesExamined) {
          logger.log(
              Level.INFO,
              "Stopped looking for files rotated from {0} after {1} entries",
              new Object[] {name, maxEntriesExamined});
          break;
        }
        BasicFileAttributes attributes =
            isRotationName(candidate.getFileName().toString()) ? attributesOrNull(candidate) : null;
        if (attributes == null || !attributes.isRegularFile() || attributes.size() == 0) {
          continue;
        }
        String key = attributes.fileKey() == null ? "" : attributes.fileKey().toString();
        int order = attributes.lastModifiedTime().compareTo(since);
        if ((order > 0 || (inclusive && order == 0)) && !excludedKeys.contains(key)) {
          newer.add(new Sibling(candidate, key, attributes.lastModifiedTime()));
        }
      }
    }
    newer.sort(Comparator.comparing(Sibling::modified).thenComparing(this::olderByName));
    return newer;
  }

  /**
   * Opens {@code sibling} when its path still names the same file, or null (it was renamed over or
   * removed since it was listed, as a rotation running now does).
   */
  public static FollowedFile openIfStillThere(Sibling sibling) {
    FollowedFile file = null;
    try {
      file = FollowedFile.open(sibling.path(), sibling.key());
      if (sibling.key().equals(FileIdentity.fileKey(sibling.path()))) {
        return file;
      }
    } catch (IOException e) {
      logger.log(Level.FINE, "Cannot open " + sibling.path(), e);
    }
    closeQuietly(file);
    return null;
  }

  /** Same time: {@code access.log.2} before {@code .1} (logrotate's numbers), else by name. */
  private int olderByName(Sibling first, Sibling second) {
    String a = first.path().getFileName().toString().substring(name.length());
    String b = second.path().getFileName().toString().substring(name.length());
    if (a.matches("\\.[0-9]{1,9}") && b.matches("\\.[0-9]{1,9}")) {
      return Integer.compare(Integer.parseInt(b.substring(1)), Integer.parseInt(a.substring(1)));
    }
    return a.compareTo(b);
  }

  private boolean isRotationName(String candidate) {
    if (candidate.length() <= name.length() || !candidate.startsWith(name)) {
      return false;
    }
    for (String suffix : COMPRESSED_SUFFIXES) {
      if (candidate.endsWith(suffix)) {
        return false;
      }
    }
    return true;
  }

  private static FollowedFile openIfMatching(
      Path candidate,
      BasicFileAttributes attributes,
      FileIdentity identity,
      long offset,
      boolean copy) {
    String key = attributes.fileKey() == null ? "" : attributes.fileKey().toString();
    boolean sameKey = key.equals(identity.fileKey());
    long size = attributes.size();
    if (!attributes.isRegularFile() || sameKey == copy || (copy ? size <= offset : size < offset)) {
      return null;
    }
    FollowedFile file = null;
    try {
      file = FollowedFile.open(candidate, key);
      FileIdentity head = FileIdentity.ofChannel(key, file.channel(), identity.headLength());
      if (head.headLength() == identity.headLength() && head.headHash() == identity.headHash()) {
        return file;
      }
    } catch (IOException e) {
      logger.log(Level.FINE, "Cannot read " + candidate + "; not a rotation of " + identity, e);
    }
    closeQuietly(file);
    return null;
  }

  private static BasicFileAttributes attributesOrNull(Path candidate) {
    try {
      return Files.readAttributes(candidate, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return null; // removed or unreadable since it was listed
    }
  }

  private static void closeQuietly(FollowedFile file) {
    if (file == null) {
      return;
    }
    try {
      file.close();
    } catch (IOException e) {
      logger.log(Level.FINE, "Closing " + file.path(), e);
    }
  }
}
