package io.gantry.backend.mgmt;

import io.gantry.api.release.PayloadInfo;
import io.gantry.backend.db.ActionRow;
import io.gantry.backend.db.FleetRepository;
import io.gantry.backend.db.ReleaseRow;
import io.gantry.backend.db.SecurityEventRow;
import io.gantry.backend.db.StatusReport;
import io.gantry.backend.db.TargetDetailRepository;
import io.gantry.backend.db.TargetRow;
import io.gantry.backend.devices.GatewayDevice;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** JSON bodies of the management API. Instants are ISO-8601 strings. */
public final class Views {
    private Views() {
    }

    /** A release as operators see it. */
    public record Release(long id, String name, String version, String kind, String target, List<String> signers,
            List<PayloadInfo> payloads, String createdAt) {
        static Release of(ReleaseRow r) {
            return new Release(r.id(), r.name(), r.version(), r.kind().name().toLowerCase(Locale.ROOT), r.target(),
                    r.signerKeyIds(), r.payloads(), text(r.createdAt()));
        }
    }

    /**
     * The answer to an accepted upload: the release, plus who authorized it under the trust root
     * ({@code signers} are key ids, {@code signerNames} their names in the trust root, {@code role}
     * the role whose threshold they met, e.g. {@code releases/1} or {@code vendor/acme}).
     */
    public record Uploaded(long id, String name, String version, String kind, String target, List<String> signers,
            List<String> signerNames, String role, List<PayloadInfo> payloads, String createdAt) {
        static Uploaded of(ReleaseIngest.Stored stored) {
            Release r = Release.of(stored.release());
            return new Uploaded(r.id(), r.name(), r.version(), r.kind(), r.target(), r.signers(),
                    stored.authorized().signerNames(), stored.authorized().role().name(), r.payloads(), r.createdAt());
        }
    }

    /** The answer to an assignment. */
    public record Created(long actionId) {
    }

    /** One feedback message in an action's history. */
    public record Status(String execution, String finished, Integer code, List<String> details, String reportedAt) {
        static Status of(StatusReport s) {
            return new Status(s.execution(), s.finished(), s.code(), s.details(), text(s.reportedAt()));
        }
    }

    /** An action with its history. */
    public record Action(long id, String controllerId, long releaseId, String status, String createdAt, String updatedAt,
            List<Status> history) {
        static Action of(ActionRow a, List<StatusReport> history) {
            return new Action(a.id(), a.controllerId(), a.releaseId(), a.status().name(), text(a.createdAt()),
                    text(a.updatedAt()), history.stream().map(Status::of).toList());
        }
    }

    /** An action in a target's list. */
    public record ActionSummary(long id, long releaseId, String status, String createdAt, String updatedAt) {
        static ActionSummary of(ActionRow a) {
            return new ActionSummary(a.id(), a.releaseId(), a.status().name(), text(a.createdAt()), text(a.updatedAt()));
        }
    }

    /**
     * A target in detail: when it was seen, what it reports (attributes) and carries (tags), what it
     * has installed, its device certificates (newest first), its actions (oldest first; open ones
     * have an open status) and, for a gateway, the devices behind it.
     */
    public record Target(String controllerId, String firstSeen, String lastSeen, java.util.Map<String, String> attributes,
            java.util.Set<String> tags, List<Installed> installed, List<Certificate> certificates, List<ActionSummary> actions,
            List<Device> devices) {
        static Target of(TargetRow t, java.util.Map<String, String> attributes, java.util.Set<String> tags,
                List<TargetDetailRepository.Installed> installed, List<TargetDetailRepository.DeviceCertificate> certificates,
                List<ActionRow> actions, List<GatewayDevice> devices) {
            return new Target(t.controllerId(), text(t.firstSeen()), text(t.lastSeen()), attributes, tags,
                    installed.stream().map(Installed::of).toList(), certificates.stream().map(Certificate::of).toList(),
                    actions.stream().map(ActionSummary::of).toList(), devices.stream().map(Device::of).toList());
        }
    }

    /** A release installed on a target: the newest finished action of that release name. */
    public record Installed(String name, String version, long releaseId, long actionId, String finishedAt) {
        static Installed of(TargetDetailRepository.Installed i) {
            return new Installed(i.name(), i.version(), i.releaseId(), i.actionId(), text(i.finishedAt()));
        }
    }

    /** A device certificate issued for a target's id: serial (hex), validity and registry status. */
    public record Certificate(String serial, String notBefore, String notAfter, String status, String revokedAt,
            String reason) {
        static Certificate of(TargetDetailRepository.DeviceCertificate c) {
            return new Certificate(c.serial(), text(c.notBefore()), text(c.notAfter()), c.status(), text(c.revokedAt()),
                    c.reason());
        }
    }

    /** One download log entry: who fetched which artifact of which release, how much, with what result. */
    public record Download(long id, String loggedAt, String controllerId, String remoteAddress, long releaseId,
            String artifact, String range, long bytesSent, String result, String entryHash) {
        static Download of(io.gantry.backend.db.DownloadLogRepository.Entry e) {
            io.gantry.backend.db.DownloadRecord r = e.record();
            return new Download(e.id(), text(r.loggedAt()), r.controllerId(), r.remoteAddress(), r.releaseId(), r.artifact(),
                    r.range(), r.bytesSent(), r.result(), e.entryHash());
        }
    }

    /** A target in a fleet search result. */
    public record FleetEntry(String controllerId, String deviceType, String firstSeen, String lastSeen,
            String certificateNotAfter) {
        static FleetEntry of(FleetRepository.FleetRow r) {
            return new FleetEntry(r.controllerId(), r.deviceType(), text(r.firstSeen()), text(r.lastSeen()),
                    text(r.certificateNotAfter()));
        }
    }

    /**
     * A device behind a gateway as the gateway last reported it (docs/devices.md): its type, the
     * firmware it runs, the release last offered, and the result and code of that offer.
     */
    public record Device(String deviceId, String type, String runningVersion, String lastRelease, String lastResult,
            String lastCode, String lastMessage, long lastActionId, String updatedAt) {
        static Device of(GatewayDevice d) {
            return new Device(d.deviceId(), d.type(), d.runningVersion(), d.lastRelease(), d.lastResult(), d.lastCode(),
                    d.lastMessage(), d.lastActionId(), text(d.updatedAt()));
        }
    }

    /** A recorded rejection. */
    public record SecurityEvent(long id, String occurredAt, String code, String subject, String remoteAddress,
            String detail) {
        static SecurityEvent of(SecurityEventRow e) {
            return new SecurityEvent(e.id(), text(e.occurredAt()), e.code(), e.subject(), e.remoteAddress(), e.detail());
        }
    }

    private static String text(Instant i) {
        return i == null ? null : i.toString();
    }
}
