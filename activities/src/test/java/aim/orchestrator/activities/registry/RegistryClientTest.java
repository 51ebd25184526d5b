package aim.orchestrator.activities.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aim.orchestrator.activities.registry.RegistryException.Reason;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The registry client against a real registry (docker-registry on loopback) and, for token auth, a fake front. */
class RegistryClientTest {
  @RegisterExtension static final LocalRegistry registry = new LocalRegistry();

  static final Map<String, String> QWEN_LABELS =
      Map.of(
          "com.amd.aim.model.canonicalName", "Qwen/Qwen3-32B",
          "org.opencontainers.image.vendor", "AMD");

  final RegistryClient client = new RegistryClient(RegistrySettings.defaults());

  @BeforeAll
  static void images() {
    registry.push("aim/qwen", "1.0.0", QWEN_LABELS);
    registry.push("aim/qwen", "1.1.0", QWEN_LABELS);
    registry.push("aim/qwen", "latest", QWEN_LABELS);
    registry.push("aim/bare", "1.0.0", Map.of());
    registry.push("aim/multi", "amd64", Map.of("arch", "amd64"));
    registry.push("aim/multi", "arm64", Map.of("arch", "arm64"));
    registry.push("library/ubuntu", "22.04", Map.of("os", "ubuntu"));
    registry.pushIndex("aim/multi", "both", Map.of("linux/arm64", "arm64", "linux/amd64", "amd64"));
    registry.pushIndex("aim/multi", "armonly", Map.of("linux/arm64", "arm64", "linux/arm", "arm64"));
    registry.pushIndex("aim/multi", "single", Map.of("linux/arm64", "arm64"));
  }

  @Nested
  class Labels {
    @Test
    void readsTheConfigLabels() throws Exception {
      assertThat(client.labels(registry.host() + "/aim/qwen:1.0.0", Keychain.ANONYMOUS))
          .containsAllEntriesOf(QWEN_LABELS)
          .containsEntry("test.tag", "1.0.0");
    }

    @Test
    void anImageWithoutLabelsHasNone() throws Exception {
      assertThat(client.labels(registry.host() + "/aim/bare:1.0.0", Keychain.ANONYMOUS)).containsOnlyKeys("test.tag");
    }

    @Test
    void withoutATagItIsLatest() throws Exception {
      assertThat(client.labels(registry.host() + "/aim/qwen", Keychain.ANONYMOUS)).containsEntry("test.tag", "latest");
    }

    @Test
    void byDigest() throws Exception {
      String digest = digestOf("aim/qwen", "1.1.0");

      assertThat(client.labels(registry.host() + "/aim/qwen@" + digest, Keychain.ANONYMOUS)).containsEntry("test.tag", "1.1.0");
    }

    @Test
    void anIndexResolvesToItsLinuxAmd64Image() throws Exception {
      assertThat(client.labels(registry.host() + "/aim/multi:both", Keychain.ANONYMOUS)).containsEntry("arch", "amd64");
    }

    @Test
    void aSingleEntryIndexNeedsNoPlatformMatch() throws Exception {
      assertThat(client.labels(registry.host() + "/aim/multi:single", Keychain.ANONYMOUS)).containsEntry("arch", "arm64");
    }

    @Test
    void anIndexWithoutLinuxAmd64IsInvalid() {
      assertThatThrownBy(() -> client.labels(registry.host() + "/aim/multi:armonly", Keychain.ANONYMOUS))
          .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID))
          .hasMessageContaining("no linux/amd64 image")
          .hasMessageContaining("linux/arm64");
    }

    @Test
    void aMirrorServesDockerHub() throws Exception {
      RegistryClient mirrored = new RegistryClient(RegistrySettings.defaults().withMirror("docker.io", registry.baseUrl()));

      assertThat(mirrored.labels("aim/qwen:1.0.0", Keychain.ANONYMOUS)).containsEntry("test.tag", "1.0.0");
      assertThat(mirrored.labels("docker.io/aim/qwen:1.1.0", Keychain.ANONYMOUS)).containsEntry("test.tag", "1.1.0");
      assertThat(mirrored.labels("ubuntu:22.04", Keychain.ANONYMOUS)).containsEntry("os", "ubuntu");
    }
  }

  @Nested
  class Errors {
    @Test
    void aMissingTagIsNotFound() {
      assertThatThrownBy(() -> client.labels(registry.host() + "/aim/qwen:9.9.9", Keychain.ANONYMOUS))
          .isInstanceOfSatisfying(RegistryException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND);
            assertThat(e.retryable()).isFalse();
          })
          .hasMessageContaining("aim/qwen:9.9.9 not found")
          .hasMessageContaining("MANIFEST_UNKNOWN");
    }

    @Test
    void aMissingRepositoryIsNotFound() {
      assertThatThrownBy(() -> client.labels(registry.host() + "/aim/nothing:1.0.0", Keychain.ANONYMOUS))
          .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND));
      assertThatThrownBy(() -> client.tags(registry.host(), "aim/nothing", Keychain.ANONYMOUS))
          .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND))
          .hasMessageContaining("NAME_UNKNOWN");
    }

    @Test
    void anUnreachableRegistryIsRetryable() throws Exception {
      int closed;
      try (ServerSocket s = new ServerSocket(0)) {
        closed = s.getLocalPort();
      }
      RegistryClient quick = new RegistryClient(new RegistrySettings(Set.of(), Map.of(), null, null, null, Duration.ofSeconds(2)));

      assertThatThrownBy(() -> quick.labels("127.0.0.1:" + closed + "/aim/qwen:1.0.0", Keychain.ANONYMOUS))
          .isInstanceOfSatisfying(RegistryException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
            assertThat(e.retryable()).isTrue();
          })
          .hasMessageContaining("127.0.0.1:" + closed + " is unreachable");
    }

    @Test
    void serverErrorsAreRetryableAndOtherAnswersInvalid() {
      try (FakeHttpServer broken = new FakeHttpServer()) {
        broken.on("/v2/aim/busy/", x -> FakeHttpServer.respond(x, 503, "application/json", "{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"try later\"}]}"));
        broken.on("/v2/aim/odd/", x -> FakeHttpServer.respond(x, 400, null, "nope"));
        broken.on("/v2/aim/html/", x -> FakeHttpServer.respond(x, 200, "text/html", "<html>"));
        RegistryClient c = new RegistryClient(RegistrySettings.defaults().withMirror("docker.io", broken.baseUrl()));

        assertThatThrownBy(() -> c.labels("aim/busy:1", Keychain.ANONYMOUS))
            .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE))
            .hasMessageContaining("HTTP 503: UNAVAILABLE try later");
        assertThatThrownBy(() -> c.labels("aim/odd:1", Keychain.ANONYMOUS))
            .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID));
        assertThatThrownBy(() -> c.labels("aim/html:1", Keychain.ANONYMOUS))
            .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID))
            .hasMessageContaining("is not JSON");
      }
    }

    @Test
    void aMalformedReferenceIsInvalid() {
      assertThatThrownBy(() -> client.labels("https://example.com/x", Keychain.ANONYMOUS))
          .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID));
    }
  }

  @Nested
  class Listing {
    @Test
    void tagsAcrossPages() throws Exception {
      RegistryClient paging = new RegistryClient(RegistrySettings.defaults(), 1);

      // distribution 2.8 pages tags in no particular order.
      assertThat(paging.tags(registry.host(), "aim/qwen", Keychain.ANONYMOUS)).containsExactlyInAnyOrder("1.0.0", "1.1.0", "latest");
    }

    @Test
    void theCatalogAcrossPages() throws Exception {
      RegistryClient paging = new RegistryClient(RegistrySettings.defaults(), 2);

      assertThat(paging.catalog(registry.host(), Keychain.ANONYMOUS))
          .containsExactly("aim/bare", "aim/multi", "aim/qwen", "library/ubuntu");
    }
  }

  /**
   * Token auth as Docker Hub and GHCR do it: a front that answers 401 with a Bearer challenge, a token endpoint that
   * checks Basic credentials, and blob downloads redirected to another host, which must not see the token.
   */
  @Nested
  class BearerTokens {
    static final String TOKEN = "t0ken";

    @Test
    void fetchesATokenForTheRepositoryScopeAndKeepsItFromRedirectTargets() throws Exception {
      try (FakeHttpServer storage = new FakeHttpServer();
          FakeHttpServer front = new FakeHttpServer()) {
        storage.on("/", x -> proxy(x, x.getRequestURI().toString()));
        front.on("/token", x -> {
          boolean ok = new Credential("robot", "s3cret").basicAuthorization().equals(x.getRequestHeaders().getFirst("Authorization"));
          FakeHttpServer.respond(x, ok ? 200 : 401, "application/json", ok ? "{\"token\":\"" + TOKEN + "\",\"expires_in\":60}" : "{}");
        });
        front.on("/v2/", x -> {
          if (!("Bearer " + TOKEN).equals(x.getRequestHeaders().getFirst("Authorization"))) {
            x.getResponseHeaders()
                .set("WWW-Authenticate", "Bearer realm=\"" + front.baseUrl() + "/token\",service=\"fake\",scope=\"repository:aim/qwen:pull\"");
            FakeHttpServer.respond(x, 401, "application/json", "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}");
          } else if (x.getRequestURI().getPath().contains("/blobs/")) {
            x.getResponseHeaders().set("Location", storage.baseUrl() + x.getRequestURI());
            FakeHttpServer.respond(x, 307, null, "");
          } else {
            proxy(x, x.getRequestURI().toString());
          }
        });
        RegistryClient c = new RegistryClient(RegistrySettings.defaults().withMirror("registry.example.com", front.baseUrl()));

        Map<String, String> labels = c.labels("registry.example.com/aim/qwen:1.0.0", Keychain.of("registry.example.com", new Credential("robot", "s3cret")));

        assertThat(labels).containsEntry("test.tag", "1.0.0");
        assertThat(front.requests)
            .filteredOn(r -> r.uri().getPath().equals("/token"))
            .singleElement()
            .satisfies(r -> assertThat(r.uri().getQuery()).isEqualTo("service=fake&scope=repository:aim/qwen:pull"));
        assertThat(storage.requests).singleElement().satisfies(r -> assertThat(r.authorization()).isNull());

        assertThatThrownBy(() -> c.labels("registry.example.com/aim/qwen:1.0.0", Keychain.of("registry.example.com", new Credential("robot", "wrong"))))
            .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.reason()).isEqualTo(Reason.AUTH))
            .hasMessageContaining("credentials for registry.example.com were refused")
            .hasMessageNotContaining("wrong");
        assertThatThrownBy(() -> c.labels("registry.example.com/aim/qwen:1.0.0", Keychain.ANONYMOUS))
            .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.reason()).isEqualTo(Reason.AUTH))
            .hasMessageContaining("anonymous access to registry.example.com");
      }
    }

    private void proxy(HttpExchange x, String pathAndQuery) throws IOException {
      try {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(registry.baseUrl() + pathAndQuery));
        String accept = x.getRequestHeaders().getFirst("Accept");
        if (accept != null) {
          b.header("Accept", accept);
        }
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        r.headers().firstValue("Content-Type").ifPresent(v -> x.getResponseHeaders().set("Content-Type", v));
        x.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
        x.getResponseBody().write(r.body());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
  }

  /** HTTP Basic auth with a real registry behind htpasswd. */
  @Nested
  class BasicAuth {
    @RegisterExtension static final LocalRegistry secured = new LocalRegistry("robot", "s3cret");

    @Test
    void sendsTheCredentialsOfTheRegistryHost() throws Exception {
      secured.push("aim/private", "1.0.0", Map.of("private", "yes"));

      assertThat(client.labels(secured.host() + "/aim/private:1.0.0", Keychain.of(secured.host(), new Credential("robot", "s3cret"))))
          .containsEntry("private", "yes");
      assertThat(client.tags(secured.host(), "aim/private", Keychain.of(secured.host(), new Credential("robot", "s3cret"))))
          .containsExactly("1.0.0");
    }

    @Test
    void withoutOrWithWrongCredentialsItIsAnAuthError() {
      assertThatThrownBy(() -> client.labels(secured.host() + "/aim/private:1.0.0", Keychain.ANONYMOUS))
          .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.reason()).isEqualTo(Reason.AUTH))
          .hasMessage(secured.host() + " requires credentials and no image pull secret has an entry for it");
      assertThatThrownBy(() -> client.labels(secured.host() + "/aim/private:1.0.0", Keychain.of(secured.host(), new Credential("robot", "wrong"))))
          .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.reason()).isEqualTo(Reason.AUTH))
          .hasMessageContaining("HTTP 401");
    }
  }

  static String digestOf(String repository, String tag) throws Exception {
    HttpResponse<Void> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(registry.baseUrl() + "/v2/" + repository + "/manifests/" + tag))
                    .header("Accept", RegistryClient.DOCKER_MANIFEST)
                    .method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.discarding());
    return r.headers().firstValue("Docker-Content-Digest").orElseThrow();
  }
}
