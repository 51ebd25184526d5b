package aim.orchestrator.temporal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.EncodingKeys;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts every payload with AES-256-GCM. The whole serialized payload (its metadata and data) is encrypted with
 * the current key and a random 96-bit nonce; the result carries only {@code encoding: binary/encrypted}, the key id
 * and the cipher name in its metadata, and {@code nonce || ciphertext || tag} as its data. The key id and cipher
 * name are authenticated too (GCM associated data), so a payload moved under another key id fails to decrypt.
 *
 * <p>Decoding accepts any configured key, so keys can rotate: add the new key everywhere, then make it current,
 * and remove the old one only when no history still holds payloads encrypted with it. Payloads that are not
 * encrypted pass through unchanged (histories from before the codec was turned on, a plain {@code temporal
 * workflow start}). An encrypted payload whose key id is unknown, or whose tag does not verify, fails with a {@link
 * PayloadCodecException} that says which.
 */
public final class AesGcmPayloadCodec implements PayloadCodec {
  /** The {@code encoding} of an encrypted payload. */
  public static final String ENCODING = "binary/encrypted";
  /** Metadata key naming the key a payload was encrypted with. */
  public static final String KEY_ID = "encryption-key-id";
  /** Metadata key naming the cipher. */
  public static final String CIPHER = "encryption-cipher";
  public static final String CIPHER_NAME = "AES-256-GCM";

  static final String KEY_DIR = "aim.temporal.codec.key-dir";
  static final String CURRENT_KEY_ID = "aim.temporal.codec.current-key-id";
  private static final int KEY_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final String KEY_ID_PATTERN = "[A-Za-z0-9._-]{1,64}";
  private static final ByteString ENCODING_BYTES = ByteString.copyFromUtf8(ENCODING);
  private static final ByteString CIPHER_BYTES = ByteString.copyFromUtf8(CIPHER_NAME);

  private final SortedMap<String, SecretKey> keys;
  private final String currentKeyId;
  private final ByteString currentKeyIdBytes;
  private final SecureRandom random = new SecureRandom();

  private AesGcmPayloadCodec(SortedMap<String, SecretKey> keys, String currentKeyId) {
    this.keys = Collections.unmodifiableSortedMap(keys);
    this.currentKeyId = currentKeyId;
    this.currentKeyIdBytes = ByteString.copyFromUtf8(currentKeyId);
  }

  /**
   * A codec over these keys (id → 32 key bytes) that encrypts with {@code currentKeyId}.
   *
   * @throws TemporalSettingsException when a key is not 32 bytes, an id is not {@value #KEY_ID_PATTERN}, or the
   *     current key is not among the keys
   */
  public static AesGcmPayloadCodec of(Map<String, byte[]> keys, String currentKeyId) {
    List<String> problems = new ArrayList<>();
    SortedMap<String, SecretKey> checked = new TreeMap<>();
    keys.forEach(
        (id, bytes) -> {
          if (!id.matches(KEY_ID_PATTERN)) {
            problems.add("key id '" + id + "' must match " + KEY_ID_PATTERN);
          } else if (bytes.length != KEY_BYTES) {
            problems.add("key '" + id + "' has " + bytes.length + " bytes; AES-256 needs " + KEY_BYTES);
          } else {
            checked.put(id, new SecretKeySpec(bytes, "AES"));
          }
        });
    if (problems.isEmpty() && !checked.containsKey(currentKeyId)) {
      problems.add("the current key id '" + currentKeyId + "' is not among the keys " + checked.keySet());
    }
    if (!problems.isEmpty()) {
      throw new TemporalSettingsException(problems);
    }
    return new AesGcmPayloadCodec(checked, currentKeyId);
  }

  /**
   * Reads the keys of {@code aim.temporal.codec.key-dir}: one file per key, named by its id, holding 32 bytes in
   * base64. Hidden entries (a mounted Secret's {@code ..data} and timestamped folders) are skipped. Returns null, with
   * problems added, when the directory or a key is wrong.
   */
  static AesGcmPayloadCodec fromDirectory(TemporalProperties.Codec settings, List<String> problems) {
    if (settings.keyDir().isEmpty()) {
      problems.add(KEY_DIR + " is required when aim.temporal.codec.enabled is true");
      return null;
    }
    Path dir = Path.of(settings.keyDir());
    if (!Files.isDirectory(dir)) {
      problems.add(KEY_DIR + ": " + dir + (Files.exists(dir) ? " is not a directory" : " does not exist"));
      return null;
    }
    int before = problems.size();
    SortedMap<String, byte[]> keys = new TreeMap<>();
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path entry : entries.sorted().toList()) {
        String id = entry.getFileName().toString();
        if (id.startsWith(".") || Files.isDirectory(entry)) {
          continue;
        }
        if (!id.matches(KEY_ID_PATTERN)) {
          problems.add(KEY_DIR + ": the key file name '" + id + "' is its key id and must match " + KEY_ID_PATTERN);
          continue;
        }
        byte[] content = TlsMaterial.read(KEY_DIR, entry.toString(), problems);
        if (content == null) {
          continue;
        }
        byte[] key;
        try {
          key = Base64.getDecoder().decode(new String(content, StandardCharsets.US_ASCII).strip());
        } catch (IllegalArgumentException e) {
          problems.add(KEY_DIR + ": key file " + entry + " is not base64 (make one with: openssl rand -base64 32)");
          continue;
        }
        if (key.length != KEY_BYTES) {
          problems.add(KEY_DIR + ": key file " + entry + " decodes to " + key.length + " bytes; AES-256 needs " + KEY_BYTES + " (openssl rand -base64 32)");
          continue;
        }
        keys.put(id, key);
      }
    } catch (IOException e) {
      problems.add(KEY_DIR + ": cannot list " + dir + ": " + e.getMessage());
      return null;
    }
    if (problems.size() > before) {
      return null;
    }
    if (keys.isEmpty()) {
      problems.add(KEY_DIR + ": " + dir + " holds no key file");
      return null;
    }
    String current = settings.currentKeyId();
    if (current.isEmpty()) {
      if (keys.size() > 1) {
        problems.add(CURRENT_KEY_ID + " is required: " + dir + " holds " + keys.size() + " keys " + keys.keySet());
        return null;
      }
      current = keys.firstKey();
    } else if (!keys.containsKey(current)) {
      problems.add(CURRENT_KEY_ID + ": '" + current + "' is not among the keys in " + dir + " " + keys.keySet());
      return null;
    }
    return of(keys, current);
  }

  /** The id of the key new payloads are encrypted with. */
  public String currentKeyId() {
    return currentKeyId;
  }

  /** The ids of every key this codec decrypts with. */
  public java.util.Set<String> keyIds() {
    return keys.keySet();
  }

  @Override
  public List<Payload> encode(List<Payload> payloads) {
    List<Payload> out = new ArrayList<>(payloads.size());
    for (Payload payload : payloads) {
      out.add(encrypt(payload));
    }
    return out;
  }

  @Override
  public List<Payload> decode(List<Payload> payloads) {
    List<Payload> out = new ArrayList<>(payloads.size());
    for (Payload payload : payloads) {
      out.add(isEncrypted(payload) ? decrypt(payload) : payload);
    }
    return out;
  }

  /** Whether a payload carries this codec's {@code encoding}. */
  public static boolean isEncrypted(Payload payload) {
    return ENCODING_BYTES.equals(payload.getMetadataOrDefault(EncodingKeys.METADATA_ENCODING_KEY, ByteString.EMPTY));
  }

  private Payload encrypt(Payload payload) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentKeyId), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData(currentKeyIdBytes));
      byte[] sealed = cipher.doFinal(payload.toByteArray());
      return Payload.newBuilder()
          .putMetadata(EncodingKeys.METADATA_ENCODING_KEY, ENCODING_BYTES)
          .putMetadata(KEY_ID, currentKeyIdBytes)
          .putMetadata(CIPHER, CIPHER_BYTES)
          .setData(ByteString.copyFrom(nonce).concat(ByteString.copyFrom(sealed)))
          .build();
    } catch (GeneralSecurityException e) {
      throw new PayloadCodecException("cannot encrypt a payload with key '" + currentKeyId + "': " + e.getMessage(), e);
    }
  }

  private Payload decrypt(Payload payload) {
    ByteString idBytes = payload.getMetadataOrDefault(KEY_ID, ByteString.EMPTY);
    String id = idBytes.toStringUtf8();
    if (id.isEmpty()) {
      throw new PayloadCodecException("an encrypted payload has no " + KEY_ID + " in its metadata");
    }
    ByteString cipherName = payload.getMetadataOrDefault(CIPHER, CIPHER_BYTES);
    if (!CIPHER_BYTES.equals(cipherName)) {
      throw new PayloadCodecException("a payload is encrypted with " + cipherName.toStringUtf8() + "; this codec does " + CIPHER_NAME);
    }
    SecretKey key = keys.get(id);
    if (key == null) {
      throw new PayloadCodecException(
          "a payload is encrypted with key id '" + id + "', which is not among the configured keys " + keys.keySet()
              + " (" + KEY_DIR + ")");
    }
    ByteString data = payload.getData();
    if (data.size() < NONCE_BYTES + TAG_BITS / 8) {
      throw new PayloadCodecException("an encrypted payload (key '" + id + "') is too short to hold a nonce and a tag");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data.substring(0, NONCE_BYTES).toByteArray()));
      cipher.updateAAD(associatedData(idBytes));
      byte[] plain = cipher.doFinal(data.substring(NONCE_BYTES).toByteArray());
      return Payload.parseFrom(plain);
    } catch (AEADBadTagException e) {
      throw new PayloadCodecException(
          "a payload encrypted with key '" + id + "' failed authentication (GCM tag mismatch): it was altered, or "
              + "encrypted with a different key under the same id",
          e);
    } catch (GeneralSecurityException | InvalidProtocolBufferException e) {
      throw new PayloadCodecException("cannot decrypt a payload encrypted with key '" + id + "': " + e.getMessage(), e);
    }
  }

  private static byte[] associatedData(ByteString keyId) {
    return CIPHER_BYTES.concat(ByteString.copyFromUtf8("/")).concat(keyId).toByteArray();
  }

  @Override
  public String toString() {
    return CIPHER_NAME + " payload codec (current key '" + currentKeyId + "', keys " + keys.keySet() + ")";
  }
}
