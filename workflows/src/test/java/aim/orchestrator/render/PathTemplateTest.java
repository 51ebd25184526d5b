package aim.orchestrator.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aim.orchestrator.model.AIMService;
import aim.orchestrator.model.AIMServiceSpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Path templates of HTTPRoutes (spec §3.9): JSONPath against the AIMService, RFC 1123 segments, 200 characters. */
class PathTemplateTest {

  private static AIMService service() {
    AIMService svc = new AIMService();
    svc.getMetadata().setName("qwen3-chat");
    svc.getMetadata().setNamespace("ml-team");
    svc.getMetadata().setUid("0b8c1f52-3d7e-4d55-9b61-1f1c2a0e7a11");
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("team", "Platform_AI");
    labels.put("app.kubernetes.io/name", "chat");
    labels.put("empty", "");
    svc.getMetadata().setLabels(labels);
    svc.getMetadata().setAnnotations(Map.of("example.com/route", "Chat/V2"));
    svc.setSpec(new AIMServiceSpec());
    svc.getSpec().model = new AIMServiceSpec.AIMServiceModel();
    svc.getSpec().model.name = "qwen3-32b";
    svc.getSpec().replicas = 2;
    svc.getSpec().env = List.of(new EnvVar("TEAM_ROUTE", "inference", null), new EnvVar("OTHER", "x", null));
    return svc;
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/{.metadata.namespace}/{.metadata.name}                    | /ml-team/qwen3-chat",
        "/integration/gpu-cached/{.metadata.name}                   | /integration/gpu-cached/qwen3-chat",
        "/teams/{.metadata.labels.team}/{.metadata.name}            | /teams/platform-ai/qwen3-chat",
        "/teams/{.metadata.labels['team']}                          | /teams/platform-ai",
        "/{.metadata.labels['app.kubernetes.io/name']}              | /chat",
        "/{.metadata.labels[\"app.kubernetes.io/name\"]}            | /chat",
        "/{.metadata.annotations['example.com/route']}              | /chat/v2",
        "/{.spec.model.name}/{.spec.replicas}                       | /qwen3-32b/2",
        "/{.spec.replicas}/{.metadata.name}                         | /2/qwen3-chat",
        "/{$.metadata.namespace}//{.metadata.uid}/                  | /ml-team/0b8c1f52-3d7e-4d55-9b61-1f1c2a0e7a11",
        "Models/{ .metadata.name }                                  | /models/qwen3-chat",
      })
  void renders(String template, String expected) {
    assertThat(PathTemplate.render(template.trim(), service())).isEqualTo(expected.trim());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // a missing label, with either notation
        "/{.metadata.labels['owner']}/x               | {.metadata.labels['owner']}   | selects nothing",
        "/{.metadata.labels.owner}                    | {.metadata.labels.owner}      | selects nothing",
        "/{.metadata.annotations['example.com/none']} | {.metadata.annotations['example.com/none']} | selects nothing",
        "/{.spec.routing.pathTemplate}                | {.spec.routing.pathTemplate}  | selects nothing",
        // not JSONPath
        "/{.metadata.labels[?(@.x ==)]}               | {.metadata.labels[?(@.x ==)]} | not valid JSONPath",
        "/{.metadata..}                               | {.metadata..}                 | not valid JSONPath",
        "/{}                                          | {}                            | empty",
        "/{.metadata.name                             | {.metadata.name               | no closing",
        // not one scalar value
        "/{.metadata}                                 | {.metadata}                   | an object",
        "/{.metadata.labels}                          | {.metadata.labels}            | an object",
        "/{.metadata.labels[*]}                       | {.metadata.labels[*]}         | selects 3 values",
        "/{.metadata.labels[?(@ == 'none')]}          | {.metadata.labels[?(@ == 'none')]} | selects 0 values",
        // inline env values may be credentials: hidden from path templates
        "/{.spec.env}                                 | {.spec.env}                   | selects nothing",
        "/{.spec.env[0].value}                        | {.spec.env[0].value}          | selects nothing",
        // a value that leaves no segment
        "/x/{.metadata.labels.empty}                  | {.metadata.labels.empty}      | leaves no path segment",
      })
  void rejectsNamingTheExpression(String template, String expression, String why) {
    assertThatThrownBy(() -> PathTemplate.render(template.trim(), service()))
        .isInstanceOf(PathTemplate.InvalidPathTemplateException.class)
        .hasMessageContaining(expression.trim())
        .hasMessageContaining(why.trim())
        .satisfies(e -> assertThat(((PathTemplate.InvalidPathTemplateException) e).expression()).isEqualTo(expression.trim()));
  }

  @Test
  void aPathOfMoreThan200CharactersIsRejected() {
    AIMService svc = service();
    svc.getMetadata().getLabels().put("long", "a".repeat(63));
    String fits = "/{.metadata.labels.long}/{.metadata.labels.long}/{.metadata.labels.long}/b123456";
    assertThat(PathTemplate.render(fits, svc)).hasSize(200);
    assertThatThrownBy(() -> PathTemplate.render(fits + "9", svc))
        .isInstanceOf(PathTemplate.InvalidPathTemplateException.class)
        .hasMessageContaining("201 characters")
        .hasMessageContaining("at most 200");
  }

  @Test
  void aLabelValueBecomesOneRfc1123SegmentWhileAnAnnotationMayMakeSeveral() {
    AIMService svc = service();
    svc.getMetadata().getLabels().put("team", "a".repeat(70));
    assertThat(PathTemplate.render("/{.metadata.labels.team}", svc)).isEqualTo("/" + "a".repeat(63));
    assertThat(PathTemplate.render("/{.metadata.annotations['example.com/route']}", svc)).isEqualTo("/chat/v2");
  }

  @Test
  void aBraceWithoutItsPartnerIsRejected() {
    assertThatThrownBy(() -> PathTemplate.render("/a}/b", service()))
        .isInstanceOf(PathTemplate.InvalidPathTemplateException.class)
        .hasMessageContaining("'}' without its '{'");
  }
}
