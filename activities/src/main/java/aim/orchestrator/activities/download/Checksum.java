package aim.orchestrator.activities.download;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * A content digest a source publishes for a file, used to verify the downloaded bytes.
 *
 * @param algorithm how the digest is computed
 * @param hex the expected digest, lower-case hexadecimal
 */
public record Checksum(Algorithm algorithm, String hex) {

  /** The digests the supported sources publish. */
  public enum Algorithm {
    /** SHA-256 of the content (Hugging Face LFS files: {@code lfs.sha256}). */
    SHA256("SHA-256", 64),
    /**
     * Git blob id: SHA-1 of {@code "blob <size>\0"} followed by the content (Hugging Face regular
     * files: {@code blobId}).
     */
    GIT_SHA1("SHA-1", 40);

    private final String jcaName;
    private final int hexLength;

    Algorithm(String jcaName, int hexLength) {
      this.jcaName = jcaName;
      this.hexLength = hexLength;
    }

    /** The name used in messages. */
    public String label() {
      return this == SHA256 ? "sha256" : "git-sha1";
    }
  }

  /** Validates and normalises the digest. */
  public Checksum {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(hex, "hex");
    hex = hex.toLowerCase(Locale.ROOT);
    if (hex.length() != algorithm.hexLength
        || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw new IllegalArgumentException("Not a " + algorithm.label() + " digest: " + hex);
    }
  }

  /** A SHA-256 content digest. */
  public static Checksum sha256(String hex) {
    return new Checksum(Algorithm.SHA256, hex);
  }

  /** A git blob id. */
  public static Checksum gitSha1(String hex) {
    return new Checksum(Algorithm.GIT_SHA1, hex);
  }

  /**
   * A digest ready to be fed the content of a file of the given size (for git blob ids the header
   * is already included).
   */
  MessageDigest newDigest(long size) {
    try {
      MessageDigest digest = MessageDigest.getInstance(algorithm.jcaName);
      if (algorithm == Algorithm.GIT_SHA1) {
        digest.update(("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII));
      }
      return digest;
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform ships SHA-1 and SHA-256.
      throw new IllegalStateException(e);
    }
  }

  /** The hex digest of a finished digest. */
  static String hexOf(MessageDigest digest) {
    return HexFormat.of().formatHex(digest.digest());
  }

  @Override
  public String toString() {
    return algorithm.label() + ":" + hex;
  }
}
