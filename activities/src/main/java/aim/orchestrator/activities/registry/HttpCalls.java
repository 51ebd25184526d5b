package aim.orchestrator.activities.registry;

import aim.orchestrator.activities.registry.RegistryException.Reason;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP plumbing the registry client and the listing APIs share: one {@link HttpClient}, redirects followed by
 * hand (so an {@code Authorization} header never travels to another host, such as the storage a registry redirects
 * blob downloads to), and the mapping of HTTP outcomes to {@link RegistryException} reasons. Never logs headers.
 */
final class HttpCalls {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_REDIRECTS = 5;
  private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

  private final HttpClient http;
  private final Duration timeout;

  HttpCalls(Duration timeout) {
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /**
   * GETs a URL, following redirects; {@code authorization} (may be null) is only sent to the original host.
   *
   * @throws RegistryException UNAVAILABLE when the server cannot be reached or does not answer in time
   */
  HttpResponse<byte[]> get(URI uri, String accept, String authorization) throws RegistryException {
    URI current = uri;
    for (int hop = 0; ; hop++) {
      HttpRequest.Builder request = HttpRequest.newBuilder(current).timeout(timeout).GET();
      if (accept != null) {
        request.header("Accept", accept);
      }
      if (authorization != null && sameOrigin(uri, current)) {
        request.header("Authorization", authorization);
      }
      HttpResponse<byte[]> response = send(request.build());
      Optional<String> location = response.headers().firstValue("Location");
      if (!isRedirect(response.statusCode()) || location.isEmpty()) {
        return response;
      }
      if (hop >= MAX_REDIRECTS) {
        throw new RegistryException(Reason.UNAVAILABLE, uri.getHost() + ": too many redirects for " + uri.getPath());
      }
      current = current.resolve(location.get());
    }
  }

  private HttpResponse<byte[]> send(HttpRequest request) throws RegistryException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new RegistryException(
          Reason.UNAVAILABLE, request.uri().getAuthority() + " is unreachable: " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException(Reason.UNAVAILABLE, "interrupted while calling " + request.uri().getAuthority(), e);
    }
  }

  /**
   * Turns a non-200 answer into an exception: 404 not found, 401/403 auth, 408/429/5xx unavailable, other codes
   * invalid. The registry's error codes ({@code MANIFEST_UNKNOWN}, …) are added to the message.
   */
  static RegistryException failure(HttpResponse<byte[]> response, String what) {
    int code = response.statusCode();
    String detail = " (HTTP " + code + errorCodes(response.body()) + ")";
    if (code == 404) {
      return new RegistryException(Reason.NOT_FOUND, what + " not found" + detail);
    }
    if (code == 401 || code == 403) {
      return new RegistryException(Reason.AUTH, "access to " + what + " denied" + detail);
    }
    if (code == 408 || code == 429 || code >= 500) {
      return new RegistryException(Reason.UNAVAILABLE, what + " is unavailable" + detail);
    }
    return new RegistryException(Reason.INVALID, "unexpected answer for " + what + detail);
  }

  static HttpResponse<byte[]> ok(HttpResponse<byte[]> response, String what) throws RegistryException {
    if (response.statusCode() != 200) {
      throw failure(response, what);
    }
    return response;
  }

  static JsonNode json(HttpResponse<byte[]> response, String what) throws RegistryException {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new RegistryException(Reason.INVALID, what + " is not JSON", e);
    }
  }

  /** The {@code rel="next"} target of an RFC 5988 {@code Link} header, resolved against the request URI. */
  static Optional<URI> nextLink(HttpResponse<?> response) {
    for (String link : response.headers().allValues("Link")) {
      Matcher m = NEXT_LINK.matcher(link);
      if (m.find()) {
        return Optional.of(response.uri().resolve(m.group(1)));
      }
    }
    return Optional.empty();
  }

  private static String errorCodes(byte[] body) {
    try {
      JsonNode errors = JSON.readTree(body).path("errors");
      StringBuilder out = new StringBuilder();
      for (JsonNode e : errors) {
        out.append(out.length() == 0 ? ": " : ", ").append(e.path("code").asText("")).append(' ').append(e.path("message").asText(""));
      }
      return out.toString().stripTrailing();
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static boolean isRedirect(int code) {
    return code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
  }

  private static boolean sameOrigin(URI a, URI b) {
    return Objects.equals(a.getScheme(), b.getScheme()) && Objects.equals(a.getAuthority(), b.getAuthority());
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null || message.isEmpty() ? "" : ": " + message);
  }
}
