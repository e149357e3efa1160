package io.github.apigatewayotel.logs.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One open file a source reads: the channel, the file-system key it was opened under, how far it
 * has been read and what its first bytes were at that point. The channel stays valid when the path
 * is renamed or removed, which is how a rotated file is finished.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class FollowedFile implements Closeable {

  private final Path path;
  private final FileChannel channel;
  private final String key;
  private long offset;

  /** The first bytes as of the last read: a change means the file was rewritten in place. */
  private FileIdentity readIdentity;

  private FollowedFile(Path path, FileChannel channel, String key, long offset) {
    this.path = path;
    this.channel = channel;
    this.key = key;
    this.offset = offset;
  }

  /** Opens {@code path}, whose file-system key is {@code key}, positioned at its start. */
  public static FollowedFile open(Path path, String key) throws IOException {
    return new FollowedFile(path, FileChannel.open(path, StandardOpenOption.READ), key, 0);
  }

  /** The path the file was opened under (it may have been renamed since). */
  public Path path() {
    return path;
  }

  public FileChannel channel() {
    return channel;
  }

  public String key() {
    return key;
  }

  public long offset() {
    return offset;
  }

  public long size() throws IOException {
    return channel.size();
  }

  /** Moves the read position, forgetting the first bytes seen (as after a truncation). */
  public void seek(long newOffset) {
    offset = newOffset;
    readIdentity = null;
  }

  /** Records that the file has been read up to {@code newOffset}. */
  public void advance(long newOffset) throws IOException {
    offset = newOffset;
    readIdentity = identity();
  }

  /** The identity covering the bytes read so far (at most {@link FileIdentity#HEAD_BYTES}). */
  public FileIdentity identity() throws IOException {
    return FileIdentity.ofChannel(key, channel, Math.max(offset, 1));
  }

  /** The identity as of the last read, or null before the first read. */
  public FileIdentity readIdentity() {
    return readIdentity;
  }

  /**
   * Whether the file was cut below the position read or its bytes already read were replaced in
   * place (truncated, then written past the old end between two reads), which the size alone cannot
   * show.
   */
  public boolean wasTruncated() throws IOException {
    if (channel.size() < offset) {
      return true;
    }
    return offset > 0 && readIdentity != null && !readIdentity.sameFileAs(key, channel);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
