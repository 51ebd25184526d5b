package aim.orchestrator.model;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A running inference endpoint: a model, a runtime template, a cache, an InferenceService and a route. */
@Group(Aim.GROUP)
@Version(Aim.VERSION)
@Kind("AIMService")
@Plural("aimservices")
@Singular("aimservice")
@ShortNames("aimsvc")
@Categories({"aim", "all"})
@AdditionalPrinterColumn(name = "Status", jsonPath = ".status.status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Model", jsonPath = ".status.resolvedModel.name", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Template", jsonPath = ".status.resolvedTemplate.name", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Replicas", jsonPath = ".status.runtime.replicas", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class AIMService extends CustomResource<AIMServiceSpec, AIMServiceStatus> implements Namespaced {}
