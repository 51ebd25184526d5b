package aim.orchestrator.temporal;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throwaway PKI for the TLS tests: a CA, server and client certificates (EC P-256), written as PEM files. */
final class TestPki {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  /** A certificate and its key pair. */
  record Issued(X509Certificate cert, KeyPair keys) {}

  private TestPki() {}

  static Issued ca(String cn) {
    KeyPair keys = keyPair();
    return new Issued(sign(cn, keys, cn, keys, true, null, Instant.now().minus(Duration.ofHours(1)), Duration.ofDays(2)), keys);
  }

  /** A server certificate for the given DNS names. */
  static Issued server(Issued ca, String... dnsNames) {
    KeyPair keys = keyPair();
    GeneralName[] names = new GeneralName[dnsNames.length];
    for (int i = 0; i < dnsNames.length; i++) {
      names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
    }
    return new Issued(
        sign(dnsNames[0], keys, subject(ca), ca.keys(), false, new GeneralNames(names), Instant.now().minus(Duration.ofHours(1)), Duration.ofDays(1)),
        keys);
  }

  static Issued client(Issued ca, String cn) {
    return client(ca, cn, Instant.now().minus(Duration.ofHours(1)), Duration.ofDays(1));
  }

  /** A client certificate valid from {@code notBefore} for {@code validity}. */
  static Issued client(Issued ca, String cn, Instant notBefore, Duration validity) {
    KeyPair keys = keyPair();
    return new Issued(sign(cn, keys, subject(ca), ca.keys(), false, null, notBefore, validity), keys);
  }

  static Path certPem(Path file, X509Certificate... certs) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
      for (X509Certificate cert : certs) {
        pem.writeObject(cert);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return write(file, out.toString());
  }

  /** The private key as unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}). */
  static Path pkcs8KeyPem(Path file, KeyPair keys) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
      pem.writeObject(new JcaPKCS8Generator(keys.getPrivate(), null));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return write(file, out.toString());
  }

  /** The private key in OpenSSL's traditional format ({@code BEGIN EC PRIVATE KEY}). */
  static Path traditionalKeyPem(Path file, KeyPair keys) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
      pem.writeObject(keys);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return write(file, out.toString());
  }

  static Path write(Path file, String content) {
    try {
      return Files.writeString(file, content);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String subject(Issued issued) {
    return issued.cert().getSubjectX500Principal().getName().replaceFirst("^CN=", "");
  }

  private static KeyPair keyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate sign(
      String cn, KeyPair keys, String issuerCn, KeyPair issuerKeys, boolean ca, GeneralNames sans, Instant notBefore, Duration validity) {
    try {
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              new X500Name("CN=" + issuerCn),
              BigInteger.valueOf(SERIAL.incrementAndGet()),
              Date.from(notBefore),
              Date.from(notBefore.plus(validity)),
              new X500Name("CN=" + cn),
              keys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      if (ca) {
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      } else {
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(
            Extension.extendedKeyUsage,
            false,
            new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      }
      if (sans != null) {
        builder.addExtension(Extension.subjectAlternativeName, false, sans);
      }
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }
}
