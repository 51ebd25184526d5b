package aim.orchestrator.model;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** Runtime defaults for one namespace; merged over the cluster config of the same name. */
@Group(Aim.GROUP)
@Version(Aim.VERSION)
@Kind("AIMRuntimeConfig")
@Plural("aimruntimeconfigs")
@Singular("aimruntimeconfig")
@ShortNames("aimrc")
@Categories({"aim", "all"})
public class AIMRuntimeConfig extends CustomResource<AIMRuntimeConfigCommon, AIMRuntimeConfigStatus> implements Namespaced {}
