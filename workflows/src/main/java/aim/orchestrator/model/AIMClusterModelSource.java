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

/** Syncs AIMClusterModels from a container registry. */
@Group(Aim.GROUP)
@Version(Aim.VERSION)
@Kind("AIMClusterModelSource")
@Plural("aimclustermodelsources")
@Singular("aimclustermodelsource")
@ShortNames("aimclsrc")
@Categories({"aim", "all"})
@AdditionalPrinterColumn(name = "Status", jsonPath = ".status.status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Models", jsonPath = ".status.discoveredModels", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "LastSync", jsonPath = ".status.lastSyncTime", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class AIMClusterModelSource extends CustomResource<AIMClusterModelSourceSpec, AIMClusterModelSourceStatus> {}
