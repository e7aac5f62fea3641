package io.gantry.backend.ddi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.backend.config.DownloadQuota;
import io.gantry.backend.db.TargetAttributeRepository;
import io.gantry.backend.failure.RequestError;
import io.gantry.backend.failure.SecurityEventCode;
import io.gantry.backend.http.ApiException;
import io.gantry.backend.http.ApiExceptionMapper;
import io.gantry.backend.metrics.BackendMetrics;
import io.gantry.backend.metrics.BackendMetrics.PollResult;
import io.gantry.backend.tls.ClientIdentity;
import io.gantry.backend.tls.Role;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The device API, hawkBit DDI v1 shaped: {@code /{tenant}/controller/v1/{controllerId}}. The
 * {@link io.gantry.backend.tls.ClientCertificateFilter} already admitted only the device whose
 * certificate CN is {@code controllerId}; each method checks again before touching data.
 */
@Singleton
@Path("{tenant}/controller/v1/{controllerId}")
@Produces({DdiMediaTypes.HAL_JSON, MediaType.APPLICATION_JSON})
public final class ControllerResource {
    private static final TargetAttributeRepository ATTRIBUTES = new TargetAttributeRepository();
    private final DeviceApiServices services;
    private final DeviceDeployments deployments;
    private final CancelActions cancels;
    private final DownloadLog downloads;
    private final DownloadCompletions completions;
    private final BackendMetrics metrics;

    /**
     * @param services shared storage, clock and configuration
     * @param metrics where polls, downloads and reported rejections are counted (in memory only)
     */
    @Inject
    public ControllerResource(DeviceApiServices services, BackendMetrics metrics) {
        this.services = services;
        this.metrics = metrics;
        this.deployments = new DeviceDeployments(services);
        this.cancels = new CancelActions(services);
        this.completions = new DownloadCompletions(services.artifactLimit());
        this.downloads = new DownloadLog(services, completions, metrics);
    }

    /** Poll: registers the target, answers the polling interval and the open deployment's link. */
    @GET
    public Response poll(@PathParam("controllerId") String controllerId, @Context SecurityContext security,
            @Context UriInfo uri) throws SQLException {
        requireSelf(security, controllerId);
        DeviceDeployments.PollState state;
        try {
            state = deployments.poll(controllerId);
        } catch (SQLException | RuntimeException e) {
            metrics.polled(PollResult.FAILED);
            throw e;
        }
        metrics.polled(pollResult(state));
        return Response.ok(DdiDocuments.poll(services.pollingSleep(), controllerBase(uri, controllerId), state)).build();
    }

    /** @return what the poll's answer links, as {@link DdiDocuments#poll} decides it */
    private static PollResult pollResult(DeviceDeployments.PollState state) {
        if (state.open() == null) {
            return PollResult.IDLE;
        }
        return state.open().status() == io.gantry.backend.db.ActionStatus.CANCELING ? PollResult.CANCEL : PollResult.DEPLOYMENT;
    }

    /**
     * The deployment of one action; marks it RUNNING. {@code actionHistory=N} adds the newest N
     * status messages (all for -1), as hawkBit does. With download offload configured, each
     * payload's {@code download} link is a signed link to the offload proxy, and its issue is
     * written to the download log.
     */
    @GET
    @Path("deploymentBase/{actionId}")
    public Response deploymentBase(@PathParam("controllerId") String controllerId, @PathParam("actionId") long actionId,
            @QueryParam("actionHistory") @DefaultValue("0") int actionHistory,
            @Context SecurityContext security, @Context UriInfo uri, @Context HttpServletRequest request)
            throws SQLException, IOException {
        requireSelf(security, controllerId);
        DeviceDeployments.Deployment d = deployments.fetch(controllerId, actionId);
        java.time.Instant now = services.clock().instant();
        List<DeploymentArtifact> artifacts = DeploymentArtifact.of(d.release(), services.artifacts());
        ObjectNode doc = DdiDocuments.deployment(d, artifacts, controllerBase(uri, controllerId), now,
                offloadLinks(controllerId, d.release().id(), artifacts, request.getRemoteAddr(), now));
        if (actionHistory != 0) {
            DdiDocuments.addHistory(doc, d.action(), deployments.history(actionId, actionHistory));
        }
        return Response.ok(doc).build();
    }

    /**
     * @return signed offload links of the payloads (the two small signed documents always come from
     *     the backend), each logged as issued; empty without offload
     */
    private Map<String, URI> offloadLinks(String controllerId, long releaseId, List<DeploymentArtifact> artifacts,
            String remoteAddress, java.time.Instant now) {
        if (services.offload() == null) {
            return Map.of();
        }
        Map<String, URI> links = new HashMap<>();
        for (DeploymentArtifact a : artifacts) {
            if (a.file() == null) {
                continue;
            }
            services.offload().link(controllerId, a.sha256(), now).ifPresent(link -> {
                links.put(a.filename(), link.uri());
                downloads.linkIssued(new DownloadLog.Request(controllerId, remoteAddress, releaseId, a.filename(), null),
                        link.expires());
            });
        }
        return links;
    }

    /** hawkBit's installedBase: the deployment the device last finished, read-only. */
    @GET
    @Path("installedBase/{actionId}")
    public Response installedBase(@PathParam("controllerId") String controllerId, @PathParam("actionId") long actionId,
            @Context SecurityContext security, @Context UriInfo uri) throws SQLException, IOException {
        requireSelf(security, controllerId);
        DeviceDeployments.Deployment d = deployments.installed(controllerId, actionId);
        return Response.ok(DdiDocuments.deployment(d, DeploymentArtifact.of(d.release(), services.artifacts()),
                controllerBase(uri, controllerId), services.clock().instant())).build();
    }

    /** hawkBit's cancelAction: which action to stop; 404 unless it is this controller's and being cancelled. */
    @GET
    @Path("cancelAction/{actionId}")
    public Response cancelAction(@PathParam("controllerId") String controllerId, @PathParam("actionId") long actionId,
            @Context SecurityContext security) throws SQLException {
        requireSelf(security, controllerId);
        return Response.ok(DdiDocuments.cancel(cancels.require(controllerId, actionId))).build();
    }

    /** The device's answer to a cancellation: 200; 410 once the action is no longer being cancelled. */
    @POST
    @Path("cancelAction/{actionId}/feedback")
    @Consumes(MediaType.WILDCARD)
    public Response cancelFeedback(@PathParam("controllerId") String controllerId, @PathParam("actionId") long actionId,
            @Context SecurityContext security, InputStream body) throws Exception {
        requireSelf(security, controllerId);
        cancels.feedback(controllerId, actionId, FeedbackMessage.parse(body.readNBytes(FeedbackMessage.MAX_BYTES + 1)));
        return Response.ok().build();
    }

    /** Status feedback for one action: 200, or 410 once it is closed. */
    @POST
    @Path("deploymentBase/{actionId}/feedback")
    @Consumes(MediaType.WILDCARD)
    public Response feedback(@PathParam("controllerId") String controllerId, @PathParam("actionId") long actionId,
            @Context SecurityContext security, @Context HttpServletRequest request, InputStream body) throws Exception {
        requireSelf(security, controllerId);
        byte[] bytes = body.readNBytes(FeedbackMessage.MAX_BYTES + 1);
        FeedbackMessage message = FeedbackMessage.parse(bytes);
        deployments.feedback(controllerId, actionId, message, request.getRemoteAddr());
        message.reportedRejection().ifPresent(code -> metrics.releaseRejected("device", code));
        return Response.ok().build();
    }

    /**
     * hawkBit configData: the device reports attributes about itself (the renewal client reports
     * its certificate expiry and renewal phase). A renewal phase of ESCALATED, EMERGENCY or EXPIRED
     * is also recorded as a security event, so an operator sees it among the alerts.
     */
    @PUT
    @Path("configData")
    @Consumes(MediaType.WILDCARD)
    public Response configData(@PathParam("controllerId") String controllerId, @Context SecurityContext security,
            @Context HttpServletRequest request, InputStream body) throws Exception {
        requireSelf(security, controllerId);
        ConfigDataMessage m = ConfigDataMessage.parse(body.readNBytes(ConfigDataMessage.MAX_BYTES + 1));
        java.time.Instant now = services.clock().instant();
        services.database().inTransaction(c -> {
            services.targets().recordPoll(c, controllerId, now);
            switch (m.mode()) {
                case "replace" -> ATTRIBUTES.replace(c, controllerId, m.data(), now);
                case "remove" -> ATTRIBUTES.remove(c, controllerId, m.data().keySet());
                default -> ATTRIBUTES.merge(c, controllerId, m.data(), now);
            }
            return null;
        });
        Optional<SecurityEventCode> escalation = SecurityEventCode.ofRenewalReport(m.data().get("cert.renewal"));
        if (escalation.isPresent()) {
            services.securityEvents().recordRepeatable(escalation.get(), controllerId, request.getRemoteAddr(),
                    "certificate expires " + m.data().getOrDefault("cert.notAfter", "?") + "; last error: "
                            + m.data().getOrDefault("cert.lastError", "none"));
        }
        return Response.ok().build();
    }

    /**
     * hawkBit's {@code md5sum} link: {@code <md5>  <filename>} as md5sum(1) prints it, for clients
     * that check a download that way. Not charged to the download quota (a few dozen bytes).
     */
    @GET
    @Path("softwaremodules/{releaseId}/artifacts/{filename}.MD5SUM")
    @Produces({MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON})
    public Response md5sum(@PathParam("controllerId") String controllerId, @PathParam("releaseId") long releaseId,
            @PathParam("filename") String filename, @Context SecurityContext security) throws SQLException, IOException {
        requireSelf(security, controllerId);
        DeploymentArtifact a = deployments.artifact(controllerId, releaseId, filename);
        return Response.ok(a.compat().md5() + "  " + a.filename() + "\n", MediaType.TEXT_PLAIN_TYPE)
                .header("Content-Disposition", "attachment;filename=" + a.filename() + ".MD5SUM").build();
    }

    /**
     * Downloads an artifact of an assigned release (HEAD, which JAX-RS routes here too, answers the
     * same headers without a body and counts as no download); honours one {@code Range}. A device that already
     * completed its allowed downloads of the artifact in the current window is refused with
     * {@code 429 DOWNLOAD_REPEATED} ({@link io.gantry.backend.config.ArtifactDownloadLimit}, counted
     * in the database); the per-node flood guard answers {@code 429 DOWNLOAD_LIMIT}. Both give
     * {@code Retry-After}.
     */
    @GET
    @Path("softwaremodules/{releaseId}/artifacts/{filename}")
    @Produces({MediaType.APPLICATION_OCTET_STREAM, MediaType.APPLICATION_JSON})
    public Response download(@PathParam("controllerId") String controllerId, @PathParam("releaseId") long releaseId,
            @PathParam("filename") String filename, @HeaderParam("Range") String range,
            @Context SecurityContext security, @Context HttpServletRequest request) throws SQLException, IOException {
        requireSelf(security, controllerId);
        DownloadLog.Request logged = new DownloadLog.Request(controllerId, request.getRemoteAddr(), releaseId, filename, range);
        DeploymentArtifact a;
        try {
            a = deployments.artifact(controllerId, releaseId, filename);
        } catch (ApiException e) {
            downloads.refused(logged, e.code());
            throw e;
        }
        Optional<ByteRange> part;
        try {
            part = ByteRange.parse(range, a.size());
        } catch (ByteRange.NotSatisfiableException e) {
            downloads.refused(logged, RequestError.RANGE_NOT_SATISFIABLE);
            return Response.fromResponse(ApiExceptionMapper.errorResponse(RequestError.RANGE_NOT_SATISFIABLE, "range beyond the end"))
                    .header("Content-Range", "bytes */" + a.size()).build();
        }
        long first = part.map(ByteRange::first).orElse(0L);
        long length = part.map(ByteRange::length).orElse(a.size());
        String file = a.filename();
        Optional<DownloadCompletions.Refusal> repeated = services.database().inTransaction(c ->
                completions.check(c, controllerId, releaseId, file, services.clock().instant()));
        if (repeated.isPresent()) {
            downloads.refused(logged, RequestError.DOWNLOAD_REPEATED);
            return Response.fromResponse(ApiExceptionMapper.errorResponse(RequestError.DOWNLOAD_REPEATED,
                    "already downloaded " + repeated.get().completions() + " time(s) in the last "
                            + completions.limit().window() + "; the limit is " + completions.limit().downloads()))
                    .header("Retry-After", retryAfterSeconds(repeated.get().retryAfter())).build();
        }
        // HEAD (as SWUpdate sends before its GET) answers the GET's headers: no bytes, so nothing to count.
        boolean head = "HEAD".equals(request.getMethod());
        Optional<DownloadLimiter.Refusal> refused = services.downloads().charge(controllerId, head ? 0 : length);
        if (refused.isPresent()) {
            DownloadQuota q = services.downloads().quota();
            String why = "more than " + q.maxRequests() + " downloads or " + q.maxBytes() + " bytes in " + q.window();
            downloads.refused(logged, SecurityEventCode.DOWNLOAD_LIMIT);
            if (refused.get().firstInWindow()) {
                // Once per device and window: a looping device must not flood the event table.
                services.securityEvents().record(SecurityEventCode.DOWNLOAD_LIMIT, controllerId, request.getRemoteAddr(),
                        "GET " + a.filename() + " of release " + releaseId + " refused: " + why);
            }
            return Response.fromResponse(ApiExceptionMapper.errorResponse(SecurityEventCode.DOWNLOAD_LIMIT,
                    "download quota used up: " + why))
                    .header("Retry-After", Math.max(1, refused.get().retryAfter().toSeconds() + 1)).build();
        }
        StreamingOutput bytes = out -> {
            try (InputStream in = a.openAt(first)) {
                byte[] buf = new byte[64 * 1024];
                long left = length;
                while (left > 0) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                    if (n < 0) {
                        throw new java.io.EOFException("artifact " + a.sha256() + " shorter than recorded");
                    }
                    out.write(buf, 0, n);
                    left -= n;
                }
            }
        };
        int status = part.isPresent() ? 206 : 200;
        Response.ResponseBuilder b = Response.status(status);
        if (head) {
            downloads.head(logged, status);
        } else {
            b.entity(downloads.logged(logged, status, bytes, first + length == a.size()));
        }
        b.type(MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header("Content-Length", length)
                .header("Accept-Ranges", "bytes")
                .header("ETag", "\"" + a.sha256() + "\"")
                .header("Content-Disposition", "attachment;filename=" + a.filename());
        part.ifPresent(p -> b.header("Content-Range", p.contentRange(a.size())));
        return b.build();
    }

    /** @return whole seconds until {@code wait} is over, rounded up, at least 1 */
    private static long retryAfterSeconds(java.time.Duration wait) {
        long seconds = wait.getSeconds() + (wait.getNano() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }

    private static void requireSelf(SecurityContext security, String controllerId) {
        if (!(security.getUserPrincipal() instanceof ClientIdentity id) || id.role() != Role.DEVICE
                || !id.commonName().equals(controllerId)) {
            throw ApiException.forbidden("a device certificate may only act as its own controller id");
        }
    }

    private static URI controllerBase(UriInfo uri, String controllerId) {
        return uri.getBaseUriBuilder().path(uri.getPathSegments().get(0).getPath()).path("controller").path("v1")
                .path(controllerId).build();
    }
}
