package io.gantry.backend.failure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.api.failure.FailureCode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/failure-codes.md and the enums never drift: the table lists exactly the codes of
 * {@link FailureCodes#FAMILIES}, each with its family, who raises it, its HTTP status from
 * {@link FailureStatus} and its meaning; and no enum implementing {@link FailureCode} in the API
 * or the server is left out of the families.
 */
class FailureCodeTableTest {
    private static final String NO_STATUS = "—";

    @Test
    void docsTableListsEveryCodeAndNothingElse() throws IOException {
        List<String> documented = tableRows(Files.readString(docsTable(), StandardCharsets.UTF_8));
        List<String> expected = expectedRows();
        Set<String> documentedCodes = documented.stream().map(FailureCodeTableTest::codeOf).collect(Collectors.toSet());
        Set<String> existing = expected.stream().map(FailureCodeTableTest::codeOf).collect(Collectors.toSet());
        Set<String> missing = new TreeSet<>(existing);
        missing.removeAll(documentedCodes);
        Set<String> unknown = new TreeSet<>(documentedCodes);
        unknown.removeAll(existing);
        assertTrue(missing.isEmpty() && unknown.isEmpty(), "docs/failure-codes.md misses " + missing
                + " and lists codes that do not exist " + unknown + "; the table should read:\n" + String.join("\n", expected));
        assertEquals(String.join("\n", expected), String.join("\n", documented),
                "docs/failure-codes.md rows differ from the enums (family, raiser, status or meaning)");
    }

    @Test
    void namesAreUniqueAcrossFamilies() {
        Set<String> seen = new HashSet<>();
        for (FailureCodes.Family f : FailureCodes.FAMILIES) {
            for (FailureCode c : f.codes()) {
                assertTrue(seen.add(c.name()), c.name() + " is defined twice");
                assertFalse(c.meaning().isBlank() || c.meaning().contains("|") || c.meaning().contains("\n"),
                        c.name() + ": a meaning is one line without '|'");
                assertEquals(c, FailureCodes.require(c.name()));
            }
        }
    }

    @Test
    void everyFailureCodeEnumIsAFamily() throws Exception {
        Set<Class<?>> families = FailureCodes.FAMILIES.stream().map(FailureCodes.Family::type).collect(Collectors.toSet());
        Set<String> found = new TreeSet<>();
        found.addAll(failureCodeEnums(FailureCode.class));
        found.addAll(failureCodeEnums(FailureCodes.class));
        assertTrue(found.size() >= families.size(), "scan found " + found);
        Set<String> left = new TreeSet<>(found);
        families.forEach(c -> left.remove(c.getName()));
        assertTrue(left.isEmpty(), "failure code enums missing from FailureCodes.FAMILIES: " + left);
    }

    private static List<String> expectedRows() {
        List<String> rows = new ArrayList<>();
        for (FailureCodes.Family f : FailureCodes.FAMILIES) {
            for (FailureCode c : f.codes()) {
                String status = FailureStatus.of(c).stream().mapToObj(Integer::toString).findFirst().orElse(NO_STATUS);
                rows.add("| `" + c.name() + "` | " + f.name() + " | " + f.raisedBy() + " | " + status + " | " + c.meaning() + " |");
            }
        }
        return rows;
    }

    private static List<String> tableRows(String markdown) {
        return markdown.lines().map(String::strip).filter(l -> l.startsWith("| `")).collect(Collectors.toList());
    }

    private static String codeOf(String row) {
        return row.substring(3, row.indexOf('`', 3));
    }

    /** docs/ of the repository: the module runs its tests in backend/, so one level up. */
    private static Path docsTable() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path table = dir.resolve("docs").resolve("failure-codes.md");
            if (Files.isRegularFile(table)) {
                return table;
            }
        }
        throw new AssertionError("docs/failure-codes.md not found above " + Path.of("").toAbsolutePath());
    }

    /** Names of the enums implementing FailureCode in the jar or class folder {@code anchor} came from. */
    private static Set<String> failureCodeEnums(Class<?> anchor) throws IOException, URISyntaxException {
        Path where = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> classes;
        if (Files.isDirectory(where)) {
            try (Stream<Path> files = Files.walk(where)) {
                classes = files.map(p -> where.relativize(p).toString().replace('\\', '/')).filter(n -> n.endsWith(".class"))
                        .collect(Collectors.toList());
            }
        } else {
            try (JarFile jar = new JarFile(where.toFile())) {
                classes = jar.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class")).collect(Collectors.toList());
            }
        }
        Set<String> enums = new TreeSet<>();
        for (String file : classes) {
            if (file.contains("$") || file.endsWith("package-info.class") || file.startsWith("META-INF")) {
                continue;
            }
            String name = file.substring(0, file.length() - ".class".length()).replace('/', '.');
            try {
                Class<?> c = Class.forName(name, false, anchor.getClassLoader());
                if (c.isEnum() && FailureCode.class.isAssignableFrom(c)) {
                    enums.add(name);
                }
            } catch (ClassNotFoundException | LinkageError e) {
                // A class whose optional dependencies are absent here cannot be a code enum of ours.
            }
        }
        return enums;
    }
}
