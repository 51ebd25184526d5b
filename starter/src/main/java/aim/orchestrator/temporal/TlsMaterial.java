package aim.orchestrator.temporal;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * The TLS material of {@code aim.temporal.tls.*}, read from PEM files and checked before anything connects: the CA
 * file holds certificates; a client certificate comes with its key, the key is PKCS#8 and belongs to the
 * certificate, and the certificate is valid today. Every problem names its property; no key material is ever put
 * into a message.
 */
final class TlsMaterial {
  static final String CA_FILE = "aim.temporal.tls.ca-file";
  static final String SERVER_NAME = "aim.temporal.tls.server-name";
  static final String CLIENT_CERT_FILE = "aim.temporal.tls.client-cert-file";
  static final String CLIENT_KEY_FILE = "aim.temporal.tls.client-key-file";

  private static final Pattern PEM_BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
  private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448");

  private final List<X509Certificate> trusted;
  private final List<X509Certificate> clientChain;
  private final PrivateKey clientKey;

  private TlsMaterial(List<X509Certificate> trusted, List<X509Certificate> clientChain, PrivateKey clientKey) {
    this.trusted = trusted;
    this.clientChain = clientChain;
    this.clientKey = clientKey;
  }

  /** Reads and checks the files; adds a line to {@code problems} for each thing wrong (then returns null). */
  static TlsMaterial read(TemporalProperties.Tls tls, List<String> problems) {
    int before = problems.size();
    if (!tls.serverName().isEmpty() && !tls.serverName().matches("[A-Za-z0-9.*-]+")) {
      problems.add(SERVER_NAME + ": '" + tls.serverName() + "' is not a host name");
    }
    List<X509Certificate> trusted = List.of();
    if (!tls.caFile().isEmpty()) {
      String pem = readText(CA_FILE, tls.caFile(), problems);
      if (pem != null) {
        trusted = certificates(CA_FILE, tls.caFile(), pem, problems);
      }
    }
    List<X509Certificate> chain = List.of();
    PrivateKey key = null;
    if (tls.clientCertFile().isEmpty() != tls.clientKeyFile().isEmpty()) {
      problems.add(
          tls.clientCertFile().isEmpty()
              ? CLIENT_CERT_FILE + " is required when " + CLIENT_KEY_FILE + " is set (mutual TLS needs both)"
              : CLIENT_KEY_FILE + " is required when " + CLIENT_CERT_FILE + " is set (mutual TLS needs both)");
    } else if (!tls.clientCertFile().isEmpty()) {
      String certPem = readText(CLIENT_CERT_FILE, tls.clientCertFile(), problems);
      if (certPem != null) {
        chain = certificates(CLIENT_CERT_FILE, tls.clientCertFile(), certPem, problems);
        checkValidity(tls.clientCertFile(), chain, problems);
      }
      String keyPem = readText(CLIENT_KEY_FILE, tls.clientKeyFile(), problems);
      if (keyPem != null) {
        key = privateKey(tls.clientKeyFile(), keyPem, problems);
      }
      if (key != null && !chain.isEmpty() && !belongTogether(key, chain.get(0))) {
        problems.add(
            CLIENT_KEY_FILE + ": the key in " + tls.clientKeyFile() + " does not belong to the certificate in "
                + tls.clientCertFile() + " (" + CLIENT_CERT_FILE + ")");
      }
    }
    return problems.size() == before ? new TlsMaterial(trusted, chain, key) : null;
  }

  /** A gRPC client context: the configured CAs (else the JVM's trust store) and the client certificate, if any. */
  SslContext sslContext() {
    try {
      SslContextBuilder builder = GrpcSslContexts.forClient();
      if (!trusted.isEmpty()) {
        builder.trustManager(trusted);
      }
      if (clientKey != null) {
        builder.keyManager(clientKey, clientChain);
      }
      return builder.build();
    } catch (SSLException e) {
      throw new TemporalSettingsException("aim.temporal.tls: cannot set up TLS: " + e.getMessage());
    }
  }

  static String readText(String property, String file, List<String> problems) {
    byte[] bytes = read(property, file, problems);
    return bytes == null ? null : new String(bytes, StandardCharsets.US_ASCII);
  }

  /** The file's bytes, or null with a problem naming the property when it cannot be read. */
  static byte[] read(String property, String file, List<String> problems) {
    Path path = Path.of(file);
    try {
      if (Files.isDirectory(path)) {
        problems.add(property + ": " + file + " is a directory, not a file");
        return null;
      }
      return Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      problems.add(property + ": " + file + " does not exist");
    } catch (java.nio.file.AccessDeniedException e) {
      problems.add(property + ": " + file + " is not readable by this process");
    } catch (IOException e) {
      problems.add(property + ": cannot read " + file + ": " + e.getMessage());
    }
    return null;
  }

  private static List<X509Certificate> certificates(String property, String file, String pem, List<String> problems) {
    List<X509Certificate> certs = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (byte[] der : blocks(pem, "CERTIFICATE")) {
        certs.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
      }
    } catch (CertificateException | IllegalArgumentException e) {
      problems.add(property + ": " + file + " holds a certificate that cannot be parsed: " + e.getMessage());
      return List.of();
    }
    if (certs.isEmpty()) {
      problems.add(property + ": " + file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
    return certs;
  }

  private static void checkValidity(String file, List<X509Certificate> chain, List<String> problems) {
    if (chain.isEmpty()) {
      return;
    }
    X509Certificate leaf = chain.get(0);
    try {
      leaf.checkValidity();
    } catch (CertificateExpiredException e) {
      problems.add(CLIENT_CERT_FILE + ": the certificate in " + file + " expired on " + leaf.getNotAfter().toInstant());
    } catch (CertificateNotYetValidException e) {
      problems.add(CLIENT_CERT_FILE + ": the certificate in " + file + " is valid only from " + leaf.getNotBefore().toInstant());
    }
  }

  private static PrivateKey privateKey(String file, String pem, List<String> problems) {
    Matcher m = PEM_BLOCK.matcher(pem);
    while (m.find()) {
      String label = m.group(1);
      switch (label) {
        case "PRIVATE KEY" -> {
          byte[] der = decode(m.group(2));
          if (der == null) {
            problems.add(CLIENT_KEY_FILE + ": " + file + " holds a PEM block that is not valid base64");
            return null;
          }
          for (String algorithm : KEY_ALGORITHMS) {
            try {
              return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
              // Not this algorithm; try the next.
            }
          }
          problems.add(CLIENT_KEY_FILE + ": " + file + " holds a PKCS#8 key of an algorithm this JVM does not know (RSA, EC, Ed25519 are)");
          return null;
        }
        case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> {
          problems.add(
              CLIENT_KEY_FILE + ": " + file + " holds a " + label + " (PKCS#1/SEC1); convert it to PKCS#8: "
                  + "openssl pkcs8 -topk8 -nocrypt -in <key> -out <key.pkcs8>");
          return null;
        }
        case "ENCRYPTED PRIVATE KEY" -> {
          problems.add(
              CLIENT_KEY_FILE + ": " + file + " holds an encrypted key; store it unencrypted (the Secret protects it): "
                  + "openssl pkcs8 -topk8 -nocrypt -in <key> -out <key.pkcs8>");
          return null;
        }
        default -> {
          // A certificate or parameters in the same file: look further.
        }
      }
    }
    problems.add(CLIENT_KEY_FILE + ": " + file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
    return null;
  }

  /** Whether a signature made with the key verifies with the certificate's public key. */
  private static boolean belongTogether(PrivateKey key, X509Certificate cert) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          default -> key.getAlgorithm();
        };
    try {
      byte[] probe = new byte[32];
      new SecureRandom().nextBytes(probe);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(cert.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static List<byte[]> blocks(String pem, String label) {
    List<byte[]> out = new ArrayList<>();
    Matcher m = PEM_BLOCK.matcher(pem);
    while (m.find()) {
      if (m.group(1).equals(label)) {
        byte[] der = decode(m.group(2));
        if (der == null) {
          throw new IllegalArgumentException("a " + label + " block is not valid base64");
        }
        out.add(der);
      }
    }
    return out;
  }

  private static byte[] decode(String base64) {
    try {
      return Base64.getMimeDecoder().decode(base64.replaceAll("\\s", ""));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return "TlsMaterial{trusted=" + trusted.size() + " CA certificate(s), client certificate="
        + (clientChain.isEmpty() ? "none" : clientChain.get(0).getSubjectX500Principal().getName()) + "}";
  }
}
