package io.gantry.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shell command lines a Markdown page shows. Convention (README.md): {@code bash} and
 * {@code sh} blocks are a walkthrough that runs; {@code console} blocks show commands after a
 * {@code $ } prompt that are checked but not run; {@code text} and other blocks are not commands.
 * A logical command joins lines ending in {@code \} and takes a here-document's body with it.
 */
final class DocCommands {
    /** One logical command line of a page. */
    record Command(Path doc, int line, String text, boolean runs, int expectedExit) {
        @Override
        public String toString() {
            return doc.getFileName() + ":" + line + ": " + text.lines().findFirst().orElse("");
        }
    }

    /** A {@code gantry ...} code span in the prose of a page. */
    record Inline(Path doc, int line, String text) {
        @Override
        public String toString() {
            return doc.getFileName() + ":" + line + ": `" + text + "`";
        }
    }

    private static final Pattern FENCE = Pattern.compile("^(`{3,})\\s*([A-Za-z0-9_-]*).*$");
    private static final Pattern HEREDOC = Pattern.compile("<<-?\\s*['\"]?([A-Za-z_][A-Za-z0-9_]*)['\"]?");
    private static final Pattern EXIT = Pattern.compile("#\\s*exit (\\d+)");
    private static final Pattern SPAN = Pattern.compile("`((?:\\./)?gantry(?: [^`]*)?)`");

    private DocCommands() {
    }

    static List<Command> commands(Path doc) throws IOException {
        List<String> lines = Files.readAllLines(doc);
        List<Command> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher f = FENCE.matcher(lines.get(i));
            if (!f.matches()) {
                continue;
            }
            String lang = f.group(2);
            int end = i + 1;
            while (end < lines.size() && !lines.get(end).startsWith(f.group(1))) {
                end++;
            }
            if (lang.equals("bash") || lang.equals("sh") || lang.equals("console")) {
                out.addAll(split(doc, lines, i + 1, end, lang.equals("console")));
            }
            i = end;
        }
        return out;
    }

    private static List<Command> split(Path doc, List<String> lines, int from, int to, boolean prompted) {
        List<Command> out = new ArrayList<>();
        int i = from;
        while (i < to) {
            String first = lines.get(i);
            int start = i++;
            if (prompted) {
                if (!first.startsWith("$ ")) {
                    continue; // output
                }
                first = first.substring(2);
            }
            if (first.isBlank() || first.strip().startsWith("#")) {
                continue;
            }
            StringBuilder text = new StringBuilder(first);
            String last = first;
            while (last.endsWith("\\") && i < to) {
                last = lines.get(i++);
                text.append('\n').append(last);
            }
            Matcher h = HEREDOC.matcher(text);
            if (h.find()) {
                String word = h.group(1);
                while (i < to) {
                    String body = lines.get(i++);
                    text.append('\n').append(body);
                    if (body.strip().equals(word)) {
                        break;
                    }
                }
            }
            Matcher e = EXIT.matcher(text);
            out.add(new Command(doc, start + 1, text.toString(), !prompted, e.find() ? Integer.parseInt(e.group(1)) : 0));
        }
        return out;
    }

    /** @return the {@code gantry} code spans outside fenced blocks */
    static List<Inline> inline(Path doc) throws IOException {
        List<String> lines = Files.readAllLines(doc);
        List<Inline> out = new ArrayList<>();
        boolean fenced = false;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            Matcher m = SPAN.matcher(lines.get(i));
            while (!fenced && m.find()) {
                out.add(new Inline(doc, i + 1, m.group(1)));
            }
        }
        return out;
    }

    /**
     * @return the argument lists of every {@code gantry} or {@code ./gantry} invocation in a
     *     command line: words split as the shell would (quotes, comments, continuations), up to the
     *     next {@code | ; & && > <}
     */
    static List<List<String>> gantryInvocations(String command) {
        List<List<String>> out = new ArrayList<>();
        List<String> segment = new ArrayList<>();
        Matcher h = HEREDOC.matcher(command);
        if (h.find()) { // a here-document's body is data, not commands
            int nl = command.indexOf('\n', h.end());
            command = nl < 0 ? command : command.substring(0, nl);
        }
        for (String w : words(command)) {
            if (w.equals("|") || w.equals(";") || w.equals("&") || w.equals("&&") || w.equals("||")) {
                addInvocation(out, segment);
                segment = new ArrayList<>();
            } else {
                segment.add(w);
            }
        }
        addInvocation(out, segment);
        return out;
    }

    private static void addInvocation(List<List<String>> out, List<String> segment) {
        int at = 0;
        while (at < segment.size() && segment.get(at).matches("[A-Za-z_][A-Za-z0-9_]*=.*|do|then|else|sudo")) {
            at++;
        }
        if (at < segment.size() && (segment.get(at).equals("gantry") || segment.get(at).equals("./gantry"))) {
            List<String> args = new ArrayList<>();
            for (String w : segment.subList(at + 1, segment.size())) {
                if (w.startsWith(">") || w.startsWith("<") || w.startsWith("2>")) {
                    break;
                }
                args.add(w);
            }
            out.add(args);
        }
    }

    /** Shell-like words: quotes grouped, {@code \}-newline joined, {@code #} comments dropped. */
    static List<String> words(String command) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        String s = command.replace("\\\n", " ");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    w.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '#' && !inWord) {
                int nl = s.indexOf('\n', i);
                if (nl < 0) {
                    break;
                }
                i = nl - 1;
            } else if (Character.isWhitespace(c) || c == ';' || c == '|' || c == '&') {
                if (inWord) {
                    out.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
                if (c == ';' || c == '|' || c == '&' || c == '\n') {
                    boolean twice = i + 1 < s.length() && s.charAt(i + 1) == c && c != ';';
                    out.add(c == '\n' ? ";" : twice ? "" + c + c : "" + c);
                    i += twice ? 1 : 0;
                }
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            out.add(w.toString());
        }
        return out;
    }
}
