package io.gantry.backend;

import io.gantry.backend.access.RoleEnforcement;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.glassfish.jersey.server.model.ResourceModel;

/** Every management endpoint ({@code /rest/...}) of a running application, read from Jersey's resource model. */
final class ManagementEndpoints {
    private ManagementEndpoints() {
    }

    /**
     * One verb on one path.
     *
     * @param verb the HTTP method
     * @param path the template with a leading slash and without regular expressions ({@code /rest/v1/rollouts/{id}})
     */
    record Endpoint(String verb, String path, Class<?> resource, Method method) {
        String key() {
            return verb + " " + path;
        }
    }

    static List<Endpoint> of(ResourceModel model) {
        List<Endpoint> out = new ArrayList<>();
        for (Resource root : model.getRootResources()) {
            walk(root, "", out);
        }
        out.removeIf(e -> !RoleEnforcement.isManagement(e.resource()));
        out.sort(Comparator.comparing(Endpoint::path).thenComparing(Endpoint::verb));
        return out;
    }

    private static void walk(Resource r, String prefix, List<Endpoint> out) {
        String path = join(prefix, r.getPath());
        for (ResourceMethod m : r.getResourceMethods()) {
            out.add(new Endpoint(m.getHttpMethod(), path, m.getInvocable().getHandler().getHandlerClass(),
                    m.getInvocable().getHandlingMethod()));
        }
        for (Resource child : r.getChildResources()) {
            walk(child, path, out);
        }
    }

    private static String join(String prefix, String path) {
        String p = path == null ? "" : path.replaceAll("\\{([A-Za-z0-9_]+)\\s*:[^}]*}", "{$1}");
        String joined = (prefix + "/" + p).replaceAll("/+", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }
}
