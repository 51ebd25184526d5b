package aim.orchestrator.model;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** Runtime defaults for the whole cluster. */
@Group(Aim.GROUP)
@Version(Aim.VERSION)
@Kind("AIMClusterRuntimeConfig")
@Plural("aimclusterruntimeconfigs")
@Singular("aimclusterruntimeconfig")
@ShortNames("aimclrc")
@Categories({"aim", "all"})
public class AIMClusterRuntimeConfig extends CustomResource<AIMRuntimeConfigCommon, AIMRuntimeConfigStatus> {}
