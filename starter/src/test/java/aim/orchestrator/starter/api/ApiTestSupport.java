package aim.orchestrator.starter.api;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.temporal.client.schedules.ScheduleClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The starter's Spring context (without the watch bridge) against a fabric8 mock Kubernetes API in CRUD mode that
 * also answers TokenReviews and SubjectAccessReviews ({@link FakeReviews}); the resources' workflows and the Temporal
 * schedule client are mocks. Review answers are not cached here ({@code auth-cache-ttl=0s}); KubernetesAuthTest
 * covers the cache. One context serves every subclass; each test works in its own namespace.
 */
@SpringBootTest(
    properties = {
      "aim.starter.watch=false",
      "aim.starter.api.auth-cache-ttl=0s",
      "aim.starter.api.gateway-base-url=http://gateway.example:8081/"
    })
@AutoConfigureMockMvc
abstract class ApiTestSupport {
  static final KubernetesMockServer KUBE;
  static final FakeReviews REVIEWS = new FakeReviews();
  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  static {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    KUBE = new KubernetesMockServer(new Context(), new MockWebServer(), responses, new KubernetesMixedDispatcher(responses), false);
    KUBE.init();
    for (AimResourceType type : AimResourceType.ALL) {
      KUBE.expectCustomResource(
          new CustomResourceDefinitionContext.Builder()
              .withGroup("aim.eai.amd.com")
              .withVersion("v1alpha1")
              .withKind(type.kind())
              .withPlural(type.plural())
              .withScope(type.namespaced() ? "Namespaced" : "Cluster")
              .withStatusSubresource(true)
              .build());
    }
    REVIEWS.install(KUBE);
  }

  @DynamicPropertySource
  static void kubernetes(DynamicPropertyRegistry registry) {
    try {
      Path kubeconfig = Files.createTempFile("api-test-kubeconfig", ".yaml");
      kubeconfig.toFile().deleteOnExit();
      Files.writeString(
          kubeconfig,
          """
          apiVersion: v1
          kind: Config
          clusters:
          - name: mock
            cluster: {server: "%s"}
          users:
          - name: starter
            user: {token: starter-token}
          contexts:
          - name: mock
            context: {cluster: mock, user: starter, namespace: default}
          current-context: mock
          """
              .formatted(KUBE.url("/").replaceAll("/$", "")));
      registry.add("aim.starter.kubeconfig", kubeconfig::toString);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Autowired MockMvc mvc;
  @Autowired KubernetesClient kubernetes;
  @MockitoBean ResourceWorkflows workflows;
  @MockitoBean ScheduleClient schedules;

  /** A namespace of this test's own. */
  String ns;

  @BeforeEach
  void freshNamespaceAndAdmin() {
    ns = "t" + NAMESPACES.incrementAndGet();
    REVIEWS.reset();
  }

  static String bearer(String token) {
    return "Bearer " + token;
  }

  static String admin() {
    return bearer(FakeReviews.ADMIN_TOKEN);
  }

  /** A JSON document written with single quotes. */
  static String json(String singleQuoted) {
    return singleQuoted.replace('\'', '"');
  }

  /**
   * Stores an AIM object (single-quoted JSON) in this test's namespace, then its {@code status} if it has one, as
   * the workflows would have written it.
   */
  io.fabric8.kubernetes.api.model.GenericKubernetesResource store(String plural, String singleQuoted) {
    AimResourceType type = AimResourceType.byPlural(plural).orElseThrow();
    var object = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(json(singleQuoted), io.fabric8.kubernetes.api.model.GenericKubernetesResource.class);
    object.setApiVersion("aim.eai.amd.com/v1alpha1");
    object.setKind(type.kind());
    Object status = object.getAdditionalProperties().remove("status");
    var op = kubernetes.genericKubernetesResources(type.context());
    var created = type.namespaced() ? op.inNamespace(ns).resource(object).create() : op.resource(object).create();
    if (status != null) {
      created.setAdditionalProperty("status", status);
      created = type.namespaced() ? op.inNamespace(ns).resource(created).updateStatus() : op.resource(created).updateStatus();
    }
    return created;
  }

  io.fabric8.kubernetes.api.model.GenericKubernetesResource read(String plural, String name) {
    AimResourceType type = AimResourceType.byPlural(plural).orElseThrow();
    var op = kubernetes.genericKubernetesResources(type.context());
    return type.namespaced() ? op.inNamespace(ns).withName(name).get() : op.withName(name).get();
  }

  static String service(String name, String spec) {
    return json("{'apiVersion':'aim.eai.amd.com/v1alpha1','kind':'AIMService','metadata':{'name':'" + name + "'},'spec':" + spec + "}");
  }
}
