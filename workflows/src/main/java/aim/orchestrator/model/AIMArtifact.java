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

/** The weights of one model source on one PVC, downloaded by a Job. */
@Group(Aim.GROUP)
@Version(Aim.VERSION)
@Kind("AIMArtifact")
@Plural("aimartifacts")
@Singular("aimartifact")
@ShortNames("aimart")
@Categories({"aim", "all"})
@AdditionalPrinterColumn(name = "Status", jsonPath = ".status.status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Mode", jsonPath = ".status.mode", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Model Size", jsonPath = ".status.displaySize", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Progress", jsonPath = ".status.progress.displayPercentage", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Protocol", jsonPath = ".status.download.protocol", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Attempt", jsonPath = ".status.download.attempt", type = AdditionalPrinterColumn.Type.INTEGER, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class AIMArtifact extends CustomResource<AIMArtifactSpec, AIMArtifactStatus> implements Namespaced {}
