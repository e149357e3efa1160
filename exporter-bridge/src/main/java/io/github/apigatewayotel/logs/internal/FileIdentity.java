package io.github.apigatewayotel.logs.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * Which file a path names: the file system's key (device and inode on Unix) plus a hash of the
 * file's first bytes, because inode numbers are reused as soon as a file is deleted.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public record FileIdentity(String fileKey, int headLength, long headHash) {

  /** How many leading bytes identify a file's content. */
  public static final int HEAD_BYTES = 256;

  /** The identity of an open file whose key is known. */
  public static FileIdentity ofChannel(String fileKey, FileChannel channel, long maxHead)
      throws IOException {
    int length = (int) Math.min(Math.min(HEAD_BYTES, maxHead), channel.size());
    ByteBuffer head = ByteBuffer.allocate(Math.max(length, 0));
    while (head.hasRemaining()) {
      if (channel.read(head, head.position()) < 0) {
        break;
      }
    }
    return new FileIdentity(fileKey, head.position(), hash(head.array(), head.position()));
  }

  /** The file-system key of {@code path}, or "" when the file system has none. */
  public static String fileKey(Path path) throws IOException {
    Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    return key == null ? "" : key.toString();
  }

  /** Whether {@code current}'s first bytes are the ones this identity was taken over. */
  public boolean sameFileAs(String currentKey, FileChannel current) throws IOException {
    if (!Objects.equals(fileKey, currentKey) || current.size() < headLength) {
      return false;
    }
    return ofChannel(currentKey, current, headLength).headHash == headHash;
  }

  private static long hash(byte[] bytes, int length) {
    long hash = 0xcbf29ce484222325L;
    for (int i = 0; i < length; i++) {
      hash ^= bytes[i] & 0xff;
      hash *= 0x100000001b3L;
    }
    return hash;
  }
}
