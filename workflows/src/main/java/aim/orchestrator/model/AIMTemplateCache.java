package aim.orchestrator.model;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import io.fabric8.kubernetes.api.model.Namespaced;

/** The cache of every model source a template needs: one AIMArtifact per source. */
@Group(Aim.GROUP)
@Version(Aim.VERSION)
@Kind("AIMTemplateCache")
@Plural("aimtemplatecaches")
@Singular("aimtemplatecache")
@ShortNames("aimtc")
@Categories({"aim", "all"})
@AdditionalPrinterColumn(name = "Template", jsonPath = ".spec.templateName", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Mode", jsonPath = ".spec.mode", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Status", jsonPath = ".status.status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Kind", jsonPath = ".status.resolvedTemplateKind", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class AIMTemplateCache extends CustomResource<AIMTemplateCacheSpec, AIMTemplateCacheStatus> implements Namespaced {}
