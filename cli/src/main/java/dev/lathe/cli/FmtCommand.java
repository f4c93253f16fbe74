package dev.lathe.cli;

import dev.lathe.frontend.parse.ModelFormatter;
import dev.lathe.frontend.parse.ModelParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "fmt", description = "Format .model files in the canonical style (comments are kept).")
final class FmtCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "1..*", description = ".model files")
    List<Path> files;

    @Option(names = {"-w", "--write"}, description = "rewrite the files in place instead of printing")
    boolean write;

    @Option(names = "--check", description = "print the files that are not formatted and exit 1 if any")
    boolean check;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        // Format everything first so that a syntax error in one file leaves every file untouched.
        int unformatted = 0;
        java.util.Map<Path, String> formatted = new java.util.LinkedHashMap<>();
        for (Path f : files) {
            if (!Files.isRegularFile(f)) throw new UserError("no such file: " + f);
            String text = Files.readString(f);
            formatted.put(f, ModelFormatter.format(ModelParser.parse(f.toString(), text)));
        }
        for (var e : formatted.entrySet()) {
            Path f = e.getKey();
            String text = Files.readString(f);
            if (check) {
                if (!text.equals(e.getValue())) {
                    spec.commandLine().getOut().println(f);
                    unformatted++;
                }
            } else if (write) {
                if (!text.equals(e.getValue())) writeAtomically(f, e.getValue());
            } else {
                spec.commandLine().getOut().print(e.getValue());
            }
        }
        return unformatted > 0 ? LatheCommand.USER_ERROR : LatheCommand.OK;
    }

    private static void writeAtomically(Path f, String text) throws IOException {
        Path tmp = Files.createTempFile(f.toAbsolutePath().getParent(), ".fmt-", ".tmp");
        try {
            Files.writeString(tmp, text);
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
