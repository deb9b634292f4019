package chat.server.ops;

import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.management.javadsl.ManagementRouteProvider;
import org.apache.pekko.management.javadsl.ManagementRouteProviderSettings;

/** GET /metrics on the management port: the node's {@link Metrics} in Prometheus' text format. */
public final class MetricsRoute implements ManagementRouteProvider {

    private final Metrics metrics;

    public MetricsRoute(ExtendedActorSystem system) {
        this.metrics = Metrics.get(Adapter.toTyped(system));
    }

    @Override
    public Route routes(ManagementRouteProviderSettings settings) {
        return Directives.path("metrics", () -> Directives.get(() ->
                Directives.complete(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, metrics.render()))));
    }
}
