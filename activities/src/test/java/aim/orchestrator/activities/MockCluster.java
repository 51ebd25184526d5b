package aim.orchestrator.activities;

import aim.orchestrator.activities.kube.ApplyMode;
import aim.orchestrator.activities.kube.Kube;
import aim.orchestrator.model.Aim;
import aim.orchestrator.model.AimKinds;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fabric8 Kubernetes mock API server in CRUD mode with the AIM CRDs (from the aim-workflows jar,
 * {@code crds/}) and a schemaless KServe InferenceService CRD registered, so status subresources
 * behave as on a real API server: status is dropped on create and kept on updates of the main
 * resource. The store is emptied before every test.
 *
 * <p>One deliberate difference from the plain CRUD mock: a JSON merge patch is applied as RFC 7386
 * (and kube-apiserver) say, replacing lists. fabric8's mock merges with Jackson's {@code
 * readerForUpdating}, which appends list items, so applying the same object twice would double
 * every list ({@link MockClusterTest} shows both).
 *
 * <pre>{@code
 * @RegisterExtension static final MockCluster cluster = new MockCluster();
 * }</pre>
 */
public final class MockCluster implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
  /** A schemaless stand-in for KServe's CRD, as the dev mode registers it. */
  public static final String INFERENCE_SERVICE_CRD =
      "kserve/inferenceservices.serving.kserve.io.yaml";

  /** Held so the level sticks: the mock web server logs every request through java.util.logging. */
  private static final Logger MOCK_WEB_SERVER_LOG = Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_WEB_SERVER_LOG.setLevel(Level.WARNING);
  }

  /** Where a Pod's log is kept for {@code pods/log}: {@code <prefix><container>} (as in the dev API). */
  public static final String POD_LOG_ANNOTATION = "sim.dev.aim/log.";

  private static List<CustomResourceDefinition> crds;

  private final boolean rfcMergePatch;
  private KubernetesMockServer server;
  private KubernetesCrudDispatcher dispatcher;
  private KubernetesClient client;

  public MockCluster() {
    this(true);
  }

  /** With {@code rfcMergePatch = false}, the plain fabric8 CRUD mock. */
  public MockCluster(boolean rfcMergePatch) {
    this.rfcMergePatch = rfcMergePatch;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    dispatcher = rfcMergePatch ? new RfcMergePatchDispatcher() : new KubernetesCrudDispatcher();
    server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init();
    client =
        server.createClient(b -> b.editOrNewConfig().withRequestRetryBackoffLimit(0).endConfig());
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    dispatcher.reset();
    for (CustomResourceDefinition crd : crds(client)) {
      client.resource(new CustomResourceDefinitionBuilder(crd).build()).create();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    client.close();
    server.destroy();
  }

  public KubernetesClient client() {
    return client;
  }

  /** The activities' gateway to this server: create, or merge patch when the object exists. */
  public Kube kube() {
    return new Kube(client, ApplyMode.CREATE_OR_MERGE_PATCH);
  }

  /**
   * Creates a custom resource and then, if the given object carries a status, writes it through the
   * status subresource (a create drops it, as on a real API server). Returns the object as stored.
   */
  @SuppressWarnings("unchecked")
  public <T extends CustomResource<?, ?>> T create(T object) {
    Object status = object.getStatus();
    T created = client.resource(object).create();
    if (status != null) {
      ((CustomResource<Object, Object>) created).setStatus(status);
      created = client.resource(created).updateStatus();
    }
    return created;
  }

  /** Creates any object. */
  public <T extends HasMetadata> T createObject(T object) {
    return client.resource(object).create();
  }

  /** Replaces the status of a stored custom resource. */
  @SuppressWarnings("unchecked")
  public <T extends CustomResource<?, ?>> T setStatus(T stored, Object status) {
    T fresh = client.resource(stored).get();
    ((CustomResource<Object, Object>) fresh).setStatus(status);
    return client.resource(fresh).updateStatus();
  }

  /** Sets {@code status} of a stored InferenceService. */
  public GenericKubernetesResource setInferenceServiceStatus(
      String namespace, String name, Map<String, Object> status) {
    var op = client.genericKubernetesResources(Kube.INFERENCE_SERVICES).inNamespace(namespace);
    GenericKubernetesResource isvc = op.withName(name).get();
    isvc.setAdditionalProperty("status", status);
    return op.resource(isvc).updateStatus();
  }

  /** Every InferenceService in a namespace. */
  public List<GenericKubernetesResource> inferenceServices(String namespace) {
    return client
        .genericKubernetesResources(Kube.INFERENCE_SERVICES)
        .inNamespace(namespace)
        .list()
        .getItems();
  }

  /** The CRDs, parsed once (they are large). */
  private static synchronized List<CustomResourceDefinition> crds(KubernetesClient client) {
    if (crds == null) {
      List<String> resources = new ArrayList<>();
      for (Class<? extends HasMetadata> kind : AimKinds.ALL) {
        resources.add("crds/" + HasMetadata.getPlural(kind) + "." + Aim.GROUP + "-v1.yml");
      }
      resources.add(INFERENCE_SERVICE_CRD);
      List<CustomResourceDefinition> parsed = new ArrayList<>();
      for (String resource : resources) {
        try (InputStream in = MockCluster.class.getClassLoader().getResourceAsStream(resource)) {
          if (in == null) {
            throw new IllegalStateException("CRD " + resource + " is not on the test classpath");
          }
          parsed.add(client.apiextensions().v1().customResourceDefinitions().load(in).item());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      crds = List.copyOf(parsed);
    }
    return crds;
  }

  /**
   * The CRUD dispatcher with JSON merge patches applied per RFC 7386: computed here and stored as a
   * PUT.
   */
  static final class RfcMergePatchDispatcher extends KubernetesCrudDispatcher {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final java.util.regex.Pattern POD_LOG =
        java.util.regex.Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/?]+)/log(?:\\?(.*))?");

    /**
     * {@code pods/log}, which the CRUD mock lacks, answered as the dev API does: from the Pod's annotation
     * {@code sim.dev.aim/log.<container>} ({@link #POD_LOG_ANNOTATION}).
     */
    @Override
    public MockResponse handleGet(String path) {
      var m = POD_LOG.matcher(path);
      if (!m.matches()) {
        return super.handleGet(withoutInvolvedObjectSelector(path));
      }
      Map.Entry<?, String> pod = findResource(getKey("/api/v1/namespaces/" + m.group(1) + "/pods/" + m.group(2)));
      if (pod == null) {
        return new MockResponse().setResponseCode(404);
      }
      String container = "";
      if (m.group(3) != null) {
        for (String param : m.group(3).split("&")) {
          if (param.startsWith("container=")) {
            container = param.substring("container=".length());
          }
        }
      }
      try {
        JsonNode annotations = MAPPER.readTree(pod.getValue()).path("metadata").path("annotations");
        return new MockResponse().setResponseCode(200).setBody(annotations.path(POD_LOG_ANNOTATION + container).asText(""));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /**
     * The CRUD mock matches field selectors only against names and labels, so an Event list filtered by {@code
     * involvedObject.*} would come back empty; the mock answers with every Event instead, and the code under test
     * filters them again (as it must: it may not rely on the server honouring a field selector).
     */
    static String withoutInvolvedObjectSelector(String path) {
      if (!path.contains("/events?") || !path.contains("fieldSelector=involvedObject")) {
        return path;
      }
      return path.replaceAll("fieldSelector=involvedObject[^&]*&?", "").replaceAll("[?&]$", "");
    }

    @Override
    public MockResponse handlePatch(RecordedRequest request) {
      String contentType = request.getHeader("Content-Type");
      if (contentType == null || !contentType.contains("application/merge-patch+json")) {
        return super.handlePatch(request);
      }
      String path = request.getPath();
      int query = path.indexOf('?');
      String bare = query < 0 ? path : path.substring(0, query);
      Map.Entry<?, String> stored = findResource(getKey(bare));
      if (stored == null) {
        return super.handlePatch(request);
      }
      try {
        JsonNode merged =
            mergePatch(
                MAPPER.readTree(stored.getValue()), MAPPER.readTree(request.getBody().getBytes()));
        byte[] body = MAPPER.writeValueAsBytes(merged);
        var headers =
            request
                .getHeaders()
                .newBuilder()
                .set("Content-Type", "application/json")
                .set("Content-Length", Integer.toString(body.length))
                .build();
        return handleUpdate(
            new RecordedRequest(
                request.getHttpVersion(), HttpMethod.PUT, bare, headers, new Buffer(body)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /**
     * RFC 7386: objects merge recursively, null removes a member, anything else (lists too)
     * replaces.
     */
    static JsonNode mergePatch(JsonNode target, JsonNode patch) {
      if (!patch.isObject()) {
        return patch.deepCopy();
      }
      ObjectNode result =
          target != null && target.isObject()
              ? ((ObjectNode) target).deepCopy()
              : MAPPER.createObjectNode();
      patch
          .fields()
          .forEachRemaining(
              e -> {
                if (e.getValue().isNull()) {
                  result.remove(e.getKey());
                } else {
                  result.set(e.getKey(), mergePatch(result.get(e.getKey()), e.getValue()));
                }
              });
      return result;
    }
  }
}
