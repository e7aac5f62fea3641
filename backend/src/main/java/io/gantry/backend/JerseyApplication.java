package io.gantry.backend;

import io.gantry.backend.access.RoleEnforcement;
import io.gantry.backend.alerts.AlertBook;
import io.gantry.backend.alerts.AlertResource;
import io.gantry.backend.alerts.LogAlertSink;
import io.gantry.backend.anomaly.CheckInLog;
import io.gantry.backend.ddi.ControllerResource;
import io.gantry.backend.ddi.DeviceApiServices;
import io.gantry.backend.ddi.SignedLinks;
import io.gantry.backend.est.EstAccessRule;
import io.gantry.backend.est.EstEnrollment;
import io.gantry.backend.est.EstResource;
import io.gantry.backend.http.ApiExceptionMapper;
import io.gantry.backend.incident.IncidentResource;
import io.gantry.backend.incident.IncidentServices;
import io.gantry.backend.http.UnexpectedExceptionMapper;
import io.gantry.backend.http.WebApplicationExceptionMapper;
import io.gantry.backend.metrics.BackendMetrics;
import io.gantry.backend.console.ConsoleAccessRule;
import io.gantry.backend.console.ConsoleResource;
import io.gantry.backend.console.CrossSiteRequestFilter;
import io.gantry.backend.mgmt.CertificateExpiryResource;
import io.gantry.backend.mgmt.ActionResource;
import io.gantry.backend.mgmt.DownloadLogResource;
import io.gantry.backend.mgmt.ManagementServices;
import io.gantry.backend.mgmt.ReleaseResource;
import io.gantry.backend.mgmt.SecurityEventResource;
import io.gantry.backend.mgmt.TargetResource;
import io.gantry.backend.mqtt.CommandPush;
import io.gantry.backend.mqtt.PushOnChange;
import io.gantry.backend.mqtt.PushOnRolloutChange;
import io.gantry.backend.revocation.RevocationResource;
import io.gantry.backend.revocation.RevocationService;
import io.gantry.backend.rollout.CommittedActionListener;
import io.gantry.backend.rollout.FeedbackNudge;
import io.gantry.backend.rollout.RolloutResource;
import io.gantry.backend.rollout.RolloutScheduler;
import io.gantry.backend.rollout.RolloutServices;
import io.gantry.backend.rollout.Rollouts;
import io.gantry.backend.rollout.TagResource;
import io.gantry.backend.tls.ClientCertificateCheck;
import io.gantry.backend.tls.ClientCertificateFilter;
import java.util.List;
import org.glassfish.hk2.utilities.binding.AbstractBinder;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/** The JAX-RS application: the identity filter, both APIs and the JSON error mappers, nothing discovered by scanning. */
final class JerseyApplication {
    private JerseyApplication() {
    }

    /** The check of every client chain, in the handshake and on every request: retired intermediates, then the registry. */
    static ClientCertificateCheck clientCheck(BackendServices services) {
        ClientCertificateCheck accept = services.revocation() == null ? chain -> null : services.revocation().check();
        return services.est() == null ? accept : services.est().authority().retiredIntermediatesThen(accept);
    }

    /** @return what the device API needs, taken from the assembled services */
    static DeviceApiServices deviceApi(BackendServices s) {
        return new DeviceApiServices(s.clock(), s.database(), s.artifacts(), s.targets(), s.releases(), s.actions(),
                s.securityEvents(), s.downloads(), s.config().artifactDownloadLimit(), SignedLinks.of(s.config().offload()),
                s.config().pollingSleep());
    }

    /** @return what the management API needs, taken from the assembled services */
    static ManagementServices managementApi(BackendServices s) {
        return new ManagementServices(s.clock(), s.database(), s.artifacts(), s.trust(), s.spoolDir(),
                s.config().maxUploadBytes(), s.targets(), s.releases(), s.actions(), s.securityEvents());
    }

    /** @return what rollouts need, taken from the assembled services, pushing nothing */
    static RolloutServices rolloutServices(BackendServices s) {
        return rolloutServices(s, CommandPush.NONE);
    }

    /** @return what rollouts need, with devices a rollout starts or cancels told through {@code push} */
    static RolloutServices rolloutServices(BackendServices s, CommandPush push) {
        return new RolloutServices(s.clock(), s.database(), s.releases(), s.actions(), s.securityEvents(),
                push == CommandPush.NONE ? CommittedActionListener.NONE : new PushOnRolloutChange(push, s.clock()));
    }

    /** @return what the incident playbooks need, taken from the assembled services */
    static IncidentServices incidentServices(BackendServices s, Rollouts rollouts) {
        return new IncidentServices(s.clock(), s.database(), s.artifacts(), s.releases(), s.actions(), rollouts, s.trust(),
                s.securityEvents(), s.revocation());
    }

    static ResourceConfig create(BackendServices services, RolloutScheduler rollouts) {
        return create(services, rollouts, CommandPush.NONE);
    }

    /**
     * @param push where commands go after an assignment, a cancellation or a trust-root release
     */
    static ResourceConfig create(BackendServices services, RolloutScheduler rollouts, CommandPush push) {
        return create(services, rollouts, push, new AlertBook(services.database(), services.clock(), List.of(new LogAlertSink())));
    }

    /**
     * @param push where commands go after an assignment, a cancellation or a trust-root release
     * @param alerts the fleet alerts {@code /rest/v1/alerts} lists and acknowledges
     */
    static ResourceConfig create(BackendServices services, RolloutScheduler rollouts, CommandPush push, AlertBook alerts) {
        ResourceConfig rc = new ResourceConfig();
        rc.property(ServerProperties.WADL_FEATURE_DISABLE, true);
        rc.property(ServerProperties.METAINF_SERVICES_LOOKUP_DISABLE, true);
        rc.property(ServerProperties.FEATURE_AUTO_DISCOVERY_DISABLE, true);
        rc.property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
        rc.register(JacksonFeature.withoutExceptionMappers());
        rc.register(new ClientCertificateFilter(services.config().tenant(), services.securityEvents(), clientCheck(services),
                List.of(new EstAccessRule(), new ConsoleAccessRule())));
        rc.register(new CrossSiteRequestFilter(services.securityEvents()));
        // Every /rest resource method: the operator role its @RequiresRole names, or refused to all.
        rc.register(new RoleEnforcement(services.securityEvents()));
        rc.register(new AbstractBinder() {
            @Override
            protected void configure() {
                bind(services.metrics()).to(BackendMetrics.class);
                bind(deviceApi(services)).to(DeviceApiServices.class);
                bind(managementApi(services)).to(ManagementServices.class);
                bind(rolloutServices(services, push)).to(RolloutServices.class);
                Rollouts operations = new Rollouts(rolloutServices(services, push), rollouts);
                bind(operations).to(Rollouts.class);
                bind(incidentServices(services, operations)).to(IncidentServices.class);
                bind(alerts).to(AlertBook.class);
                if (services.est() != null) {
                    bind(services.est()).to(EstEnrollment.class);
                }
                if (services.revocation() != null) {
                    bind(services.revocation()).to(RevocationService.class);
                }
            }
        });
        // Resource classes, built by Jersey with constructor injection: one instance per application.
        rc.register(ControllerResource.class);
        rc.register(ReleaseResource.class);
        rc.register(TargetResource.class);
        rc.register(io.gantry.backend.mgmt.FleetResource.class);
        rc.register(io.gantry.backend.mgmt.OpenApiResource.class);
        rc.register(ActionResource.class);
        rc.register(SecurityEventResource.class);
        rc.register(DownloadLogResource.class);
        rc.register(CertificateExpiryResource.class);
        rc.register(ConsoleResource.class);
        rc.register(RolloutResource.class);
        rc.register(TagResource.class);
        rc.register(IncidentResource.class);
        rc.register(AlertResource.class);
        rc.register(new CheckInLog(services.database(), services.clock()));
        rc.register(new FeedbackNudge(rollouts));
        if (services.revocation() != null) {
            rc.register(RevocationResource.class);
        }
        if (services.est() != null) {
            rc.register(EstResource.class);
        }
        if (push != CommandPush.NONE) {
            rc.register(new PushOnChange(push, services.clock()));
        }
        rc.register(ApiExceptionMapper.class);
        rc.register(WebApplicationExceptionMapper.class);
        rc.register(UnexpectedExceptionMapper.class);
        return rc;
    }
}
