package aim.orchestrator.starter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads model metadata from the Hugging Face API ({@code GET {endpoint}/api/models/{id}}). */
final class HuggingFaceModelCards {
  /** What the catalog keeps from a model card. */
  record Card(String id, BigDecimal parametersB, String license, boolean gated) {}

  /** A request that did not give a card. */
  static final class FetchException extends Exception {
    private static final long serialVersionUID = 1L;

    FetchException(String message) {
      super(message);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final String endpoint;
  private final String token;

  HuggingFaceModelCards(HttpClient http, String endpoint, String token) {
    this.http = http;
    this.endpoint = endpoint.replaceAll("/+$", "");
    this.token = token == null || token.isBlank() ? null : token.trim();
  }

  Card fetch(String repository) throws FetchException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint + "/api/models/" + repository))
        .timeout(Duration.ofSeconds(30))
        .header("Accept", "application/json");
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new FetchException("cannot reach " + endpoint + ": " + e.getMessage());
    }
    switch (response.statusCode()) {
      case 200 -> {
        return parse(repository, response.body());
      }
      case 401, 403 -> throw new FetchException("HTTP " + response.statusCode() + " for " + repository + (token == null ? " (set HF_TOKEN)" : " (check HF_TOKEN's access)"));
      case 404 -> throw new FetchException("HTTP 404: " + repository + " does not exist on " + endpoint);
      default -> throw new FetchException("HTTP " + response.statusCode() + " for " + repository);
    }
  }

  static Card parse(String repository, String body) throws FetchException {
    JsonNode n;
    try {
      n = JSON.readTree(body);
    } catch (IOException e) {
      throw new FetchException("the answer for " + repository + " is not JSON");
    }
    BigDecimal params = null;
    JsonNode total = n.path("safetensors").path("total");
    if (total.canConvertToLong() && total.asLong() > 0) {
      BigDecimal billions = BigDecimal.valueOf(total.asLong()).divide(BigDecimal.valueOf(1_000_000_000L));
      params = billions.setScale(billions.compareTo(BigDecimal.ONE) < 0 ? 3 : 2, RoundingMode.HALF_UP).stripTrailingZeros();
    }
    String license = n.path("cardData").path("license").asText(null);
    if (license == null) {
      for (JsonNode tag : n.path("tags")) {
        if (tag.asText().startsWith("license:")) {
          license = tag.asText().substring("license:".length());
        }
      }
    }
    JsonNode gated = n.path("gated");
    // false when open; "auto" or "manual" (or true) when the licence must be accepted first.
    boolean isGated = gated.isTextual() ? !gated.asText().equalsIgnoreCase("false") : gated.asBoolean(false);
    return new Card(n.path("id").asText(repository), params, license, isGated);
  }

  /** Sets a top-level {@code key: value} line of a model file, keeping the rest (comments included) as it is. */
  static String setField(String text, String key, String value) {
    Pattern line = Pattern.compile("^(" + Pattern.quote(key) + ":[ \\t]*)([^#\\n]*?)([ \\t]*#.*)?$", Pattern.MULTILINE);
    Matcher m = line.matcher(text);
    if (m.find()) {
      String comment = m.group(3) == null ? "" : m.group(3);
      return text.substring(0, m.start()) + m.group(1) + value + comment + text.substring(m.end());
    }
    Matcher aim = Pattern.compile("^aim:", Pattern.MULTILINE).matcher(text);
    String insert = key + ": " + value + "\n";
    if (aim.find()) {
      return text.substring(0, aim.start()) + insert + text.substring(aim.start());
    }
    return text + (text.endsWith("\n") ? "" : "\n") + insert;
  }
}
