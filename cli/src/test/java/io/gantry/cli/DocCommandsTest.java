package io.gantry.cli;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.gantry.cli.DocCommands.Command;
import io.gantry.cli.DocCommands.Inline;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * Docs and CLI cannot drift apart: every command line README.md and docs/*.md show is checked
 * against the real picocli command tree, and each page's {@code bash} blocks run in order, as one
 * walkthrough in an empty folder, with {@code ./gantry} and {@code gantry} the real CLI
 * ({@link GantryCli} on this test's class path, in a JVM of its own per call). Conventions:
 * README.md, "Documentation".
 */
class DocCommandsTest {
    private static final Path ROOT = repositoryRoot();
    private static final Pattern SCRIPT_ARM = Pattern.compile("(?m)^  ([a-z*][a-z-]*)\\)$");

    @TestFactory
    Stream<DynamicTest> everyGantryLineInTheDocsIsACommandTheCliHas() throws IOException {
        Set<String> arms = scriptArms();
        List<DynamicTest> tests = new ArrayList<>();
        for (Path doc : docs()) {
            List<Command> commands = DocCommands.commands(doc);
            List<Inline> mentions = DocCommands.inline(doc);
            tests.add(DynamicTest.dynamicTest(ROOT.relativize(doc).toString(), () -> {
                List<String> problems = new ArrayList<>();
                int invocations = 0;
                for (Command c : commands) {
                    for (List<String> args : DocCommands.gantryInvocations(c.text())) {
                        invocations++;
                        check(() -> checkInvocation(args, arms), c.toString(), problems);
                    }
                }
                for (Inline m : mentions) {
                    check(() -> checkMention(m.text(), arms), m.toString(), problems);
                }
                long run = commands.stream().filter(Command::runs).filter(c -> !scriptOnly(c)).count();
                System.out.printf("%s: %d command lines (%d run, %d checked only), %d gantry invocations parsed, %d gantry"
                        + " mentions in prose checked%n", ROOT.relativize(doc), commands.size(), run, commands.size() - run,
                        invocations, mentions.size());
                assertTrue(problems.isEmpty(), String.join("\n", problems));
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> eachPagesBashBlocksRunInOrder() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path doc : docs()) {
            List<Command> run = DocCommands.commands(doc).stream().filter(Command::runs).filter(c -> !scriptOnly(c)).toList();
            if (!run.isEmpty()) {
                tests.add(DynamicTest.dynamicTest(ROOT.relativize(doc).toString(), () -> DocWalkthrough.run(doc, run)));
            }
        }
        return tests.stream();
    }

    @Test
    void everyCommandAndOptionHasADescriptionAndEveryCommandAnswersHelp() {
        List<String> problems = new ArrayList<>();
        walk(GantryCli.commandLine(), new ArrayList<>(), problems);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void aCommandOrOptionTheCliDoesNotHaveFailsTheCheck() {
        Set<String> arms = scriptArms();
        assertThrows(CommandLine.ParameterException.class, () -> checkInvocation(
                DocCommands.gantryInvocations("./gantry release verify --trust keys/ fw.gantry").get(0), arms));
        assertThrows(CommandLine.ParameterException.class, () -> checkInvocation(
                DocCommands.gantryInvocations("./gantry release frobnicate fw.gantry").get(0), arms));
        assertThrows(AssertionError.class, () -> checkInvocation(List.of("pki"), arms));
        assertThrows(AssertionError.class, () -> checkMention("gantry backend --trust-dir DIR", arms));
        assertThrows(AssertionError.class, () -> checkMention("gantry release frobnicate", arms));
        assertThrows(AssertionError.class, () -> checkInvocation(List.of("tset"), Set.of("test", "demo")));
        checkInvocation(DocCommands.gantryInvocations("x=1 ./gantry release verify --trust-root t.json fw.gantry | tail").get(0), arms);
        checkInvocation(DocCommands.gantryInvocations("./gantry backend --data d --pki p --trust-root t --port $port &").get(0), arms);
        assertThrows(CommandLine.ParameterException.class, () -> checkInvocation(
                DocCommands.gantryInvocations("./gantry backend --data d --pki p --trust-root t --port eighty").get(0), arms));
    }

    /** Strict: the arguments parse in the real command tree and reach a command that runs. */
    static void checkInvocation(List<String> args, Set<String> arms) {
        String first = args.isEmpty() ? "" : args.get(0);
        if (!first.startsWith("-") && !arms.contains(first) && !arms.contains("*")) {
            fail("the gantry script has no arm for '" + first + "'");
        }
        if (first.equals("test") && arms.contains("test")) {
            return; // the script runs the test suite itself; its arguments go to Maven
        }
        // A shell variable stands for a value the walkthrough sets; "1" passes for a number, a path or a name.
        String[] words = args.stream().map(w -> w.matches("\\$\\{?[A-Za-z_][A-Za-z0-9_]*}?") ? "1" : w).toArray(String[]::new);
        ParseResult r = GantryCli.commandLine().parseArgs(words);
        ParseResult leaf = r;
        while (leaf.hasSubcommand()) {
            leaf = leaf.subcommand();
        }
        if (!leaf.isUsageHelpRequested() && !leaf.isVersionHelpRequested() && !r.isUsageHelpRequested()
                && !r.isVersionHelpRequested()) {
            assertTrue(leaf.commandSpec().subcommands().isEmpty(),
                    "'" + leaf.commandSpec().qualifiedName() + "' needs one of " + leaf.commandSpec().subcommands().keySet());
        }
    }

    /** Lenient, for prose that uses placeholders: the subcommands exist and so does every --option. */
    static void checkMention(String span, Set<String> arms) {
        String[] words = span.replaceAll("[\\[\\]()|]", " ").strip().split("\\s+");
        CommandSpec spec = GantryCli.commandLine().getCommandSpec();
        if (words.length > 1 && arms.contains(words[1]) && !spec.subcommands().containsKey(words[1])) {
            return; // handled by the gantry script itself (./gantry test)
        }
        int i = 1;
        while (i < words.length && spec.subcommands().containsKey(words[i])) {
            spec = spec.subcommands().get(words[i++]).getCommandSpec();
        }
        if (i < words.length && !spec.subcommands().isEmpty() && words[i].matches("[a-z][a-z-]*")) {
            fail("'" + spec.qualifiedName() + "' has no subcommand '" + words[i] + "'");
        }
        for (; i < words.length; i++) {
            String name = words[i].split("=", 2)[0].replaceAll("[.,;:]+$", "");
            if (name.startsWith("--") && spec.findOption(name) == null) {
                fail("'" + spec.qualifiedName() + "' has no option " + name);
            }
        }
    }

    private static void walk(CommandLine cl, List<String> path, List<String> problems) {
        CommandSpec spec = cl.getCommandSpec();
        String name = spec.qualifiedName();
        if (String.join("", spec.usageMessage().description()).isBlank()) {
            problems.add(name + ": no description");
        }
        for (OptionSpec o : spec.options()) {
            if (String.join("", o.description()).isBlank()) {
                problems.add(name + " " + o.longestName() + ": no description");
            }
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (String.join("", p.description()).isBlank()) {
                problems.add(name + " " + p.paramLabel() + ": no description");
            }
        }
        CommandLine fresh = GantryCli.commandLine();
        StringWriter out = new StringWriter();
        fresh.setOut(new PrintWriter(out));
        List<String> help = new ArrayList<>(path);
        help.add("--help");
        int rc = fresh.execute(help.toArray(String[]::new));
        if (rc != 0 || !out.toString().startsWith("Usage: " + name)) {
            problems.add(name + " --help: exit " + rc + ", " + out);
        }
        for (Map.Entry<String, CommandLine> sub : cl.getSubcommands().entrySet()) {
            List<String> next = new ArrayList<>(path);
            next.add(sub.getKey());
            walk(sub.getValue(), next, problems);
        }
    }

    private static boolean scriptOnly(Command c) {
        List<List<String>> inv = DocCommands.gantryInvocations(c.text());
        return inv.size() == 1 && !inv.get(0).isEmpty() && Set.of("demo", "test").contains(inv.get(0).get(0));
    }

    private static void check(Runnable r, String where, List<String> problems) {
        try {
            r.run();
        } catch (CommandLine.ParameterException | AssertionError e) {
            problems.add(where + "\n    " + e.getMessage());
        }
    }

    /** @return the words the {@code gantry} script handles itself ({@code *} for "everything else") */
    static Set<String> scriptArms() {
        try {
            Matcher m = SCRIPT_ARM.matcher(Files.readString(ROOT.resolve("gantry"), StandardCharsets.UTF_8));
            Set<String> arms = new LinkedHashSet<>();
            while (m.find()) {
                arms.add(m.group(1));
            }
            assertTrue(arms.contains("*"), "the gantry script hands other commands to the CLI");
            return arms;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static List<Path> docs() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> s = Files.list(ROOT.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }

    private static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("gantry")) && Files.isDirectory(p.resolve("docs"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
    }

    static void makeExecutable(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
