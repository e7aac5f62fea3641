package io.gantry.agent.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The actions whose final report the backend took (200, or 404/410 for one already closed or gone):
 * one empty marker file per action in the agent's data area, the newest {@link #KEPT} kept. A poll
 * answer can predate the close that a later cycle or another agent instance sent (a successor
 * starts while its predecessor's last poll still runs once deactivation stopped waiting for it;
 * a backend node behind a balancer that has not seen the close yet): the agent checks the
 * deploymentBase link against this record before fetching it, so it neither fetches a closed
 * action again nor posts progress the backend answers 410. Being in the data area, the record is
 * read by whichever revision of the agent runs next. A record counts for {@link #RECENT} only: a
 * poll answer predates a close by seconds, and a backend whose database was set up anew may reuse
 * an action id later.
 */
final class ClosedActions {
    /** Actions remembered; the backend never offers one this old again in practice. */
    static final int KEPT = 64;
    /** How long after the close a link to the action is taken for a poll answer that predates it. */
    static final Duration RECENT = Duration.ofMinutes(10);
    private static final Pattern ACTION_ID = Pattern.compile("[0-9A-Za-z_-]{1,64}");
    private final Path dir;
    private final Clock clock;

    ClosedActions(Path dir, Clock clock) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.clock = clock;
    }

    /** Records that the backend took the action's final report; the oldest records beyond {@link #KEPT} go. */
    synchronized void add(String actionId) throws IOException {
        if (!ACTION_ID.matcher(actionId).matches()) {
            return;
        }
        Path marker = dir.resolve(actionId);
        if (!Files.exists(marker)) {
            Files.createFile(marker);
        }
        Files.setLastModifiedTime(marker, FileTime.from(clock.instant()));
        List<Path> all = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(all::add);
        }
        if (all.size() > KEPT) {
            all.sort(Comparator.comparing(ClosedActions::modified));
            for (Path p : all.subList(0, all.size() - KEPT)) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** @return whether the backend took a final report of this action from this gateway within {@link #RECENT} */
    boolean closedRecently(String actionId) {
        if (!ACTION_ID.matcher(actionId).matches()) {
            return false;
        }
        long at = modified(dir.resolve(actionId));
        return at != Long.MIN_VALUE && clock.millis() - at < RECENT.toMillis();
    }

    /** @return the action id of a deploymentBase link ({@code .../deploymentBase/<id>[?...]}) */
    static Optional<String> actionIdOf(URI deploymentHref) {
        String path = deploymentHref.getPath();
        if (path == null) {
            return Optional.empty();
        }
        String id = path.substring(path.lastIndexOf('/') + 1);
        return ACTION_ID.matcher(id).matches() ? Optional.of(id) : Optional.empty();
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return Long.MIN_VALUE;
        }
    }
}
