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

/** A runtime profile of a cluster model. */
@Group(Aim.GROUP)
@Version(Aim.VERSION)
@Kind("AIMClusterServiceTemplate")
@Plural("aimclusterservicetemplates")
@Singular("aimclusterservicetemplate")
@ShortNames("aimcltpl")
@Categories({"aim", "all"})
@AdditionalPrinterColumn(name = "Model", jsonPath = ".spec.modelName", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Status", jsonPath = ".status.status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Hardware", jsonPath = ".status.hardwareSummary", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Metric", jsonPath = ".status.profile.metadata.metric", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Precision", jsonPath = ".status.profile.metadata.precision", type = AdditionalPrinterColumn.Type.STRING)
public class AIMClusterServiceTemplate extends CustomResource<AIMClusterServiceTemplateSpec, AIMServiceTemplateStatus> {}
