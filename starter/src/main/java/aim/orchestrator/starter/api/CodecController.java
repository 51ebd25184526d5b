package aim.orchestrator.starter.api;

import aim.orchestrator.temporal.AesGcmPayloadCodec;
import aim.orchestrator.temporal.TemporalConnection;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.swagger.v3.oas.annotations.Hidden;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.payload.codec.PayloadCodecException;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Temporal's codec server protocol for the Web UI and the CLI: {@code POST .../decode} and {@code .../encode} take
 * a {@code Payloads} message as protobuf JSON ({@code {"payloads":[{"metadata":{...},"data":"<base64>"}]}}) and
 * answer the payloads run through the payload codec. The Temporal namespace comes from the path
 * ({@code /codec/{namespace}/decode}, for the CLI's {@code --codec-endpoint .../codec/{namespace}}) or the
 * {@code X-Namespace} header the UI sends; this server serves the one namespace of {@code aim.temporal.namespace}.
 *
 * <p>Callers authenticate as on the REST API (a Kubernetes bearer token, TokenReview) and must be allowed the verb
 * {@code decode} (or {@code encode}) on {@code workflowpayloads} in {@code aim.eai.amd.com} at the cluster scope,
 * with the Temporal namespace as the resource name: decrypted payloads are what every AIM workflow saw, across all
 * Kubernetes namespaces, so no namespaced grant can cover them (docs/operations.md, "Web UI codec server").
 */
@Hidden
@RestController
class CodecController {
  /** The RBAC resource (group {@code aim.eai.amd.com}) a codec caller needs {@code decode}/{@code encode} on. */
  static final String RESOURCE = "workflowpayloads";
  static final String NAMESPACE_HEADER = "X-Namespace";

  private final Optional<AesGcmPayloadCodec> codec;
  private final String namespace;
  private final Access access;

  CodecController(TemporalConnection temporal, Access access) {
    this.codec = temporal.codec();
    this.namespace = temporal.properties().namespace();
    this.access = access;
  }

  @PostMapping(path = {"/codec/decode", "/codec/{namespace}/decode"}, produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<String> decode(
      @PathVariable(name = "namespace", required = false) String pathNamespace,
      @RequestHeader(name = NAMESPACE_HEADER, required = false) String headerNamespace,
      @RequestBody String body) {
    return run("decode", pathNamespace, headerNamespace, body, c -> c::decode);
  }

  @PostMapping(path = {"/codec/encode", "/codec/{namespace}/encode"}, produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<String> encode(
      @PathVariable(name = "namespace", required = false) String pathNamespace,
      @RequestHeader(name = NAMESPACE_HEADER, required = false) String headerNamespace,
      @RequestBody String body) {
    return run("encode", pathNamespace, headerNamespace, body, c -> c::encode);
  }

  private ResponseEntity<String> run(
      String verb,
      String pathNamespace,
      String headerNamespace,
      String body,
      java.util.function.Function<AesGcmPayloadCodec, UnaryOperator<List<Payload>>> operation) {
    String requested = pathNamespace != null ? pathNamespace : headerNamespace != null && !headerNamespace.isBlank() ? headerNamespace.strip() : namespace;
    access.require(verb, RESOURCE, null, requested);
    if (!requested.equals(namespace)) {
      throw ApiException.notFound("This codec server serves the Temporal namespace \"" + namespace + "\", not \"" + requested + "\"");
    }
    AesGcmPayloadCodec payloadCodec =
        codec.orElseThrow(
            () -> ApiException.notFound("The payload codec is off (aim.temporal.codec.enabled=false): payloads are not encrypted, there is nothing to " + verb));
    Payloads.Builder in = Payloads.newBuilder();
    try {
      JsonFormat.parser().ignoringUnknownFields().merge(body, in);
    } catch (InvalidProtocolBufferException e) {
      throw new ApiException(ProblemType.BAD_REQUEST, "The body is not a Temporal Payloads message in protobuf JSON ({\"payloads\":[...]}): " + e.getMessage());
    }
    List<Payload> out;
    try {
      out = operation.apply(payloadCodec).apply(in.getPayloadsList());
    } catch (PayloadCodecException e) {
      throw new ApiException(ProblemType.BAD_REQUEST, "Cannot " + verb + " the payloads: " + e.getMessage());
    }
    try {
      return ResponseEntity.ok()
          .contentType(MediaType.APPLICATION_JSON)
          .body(JsonFormat.printer().omittingInsignificantWhitespace().print(Payloads.newBuilder().addAllPayloads(out)));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("payloads cannot be printed as JSON", e);
    }
  }
}
