package org.measureflow.examples;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;

import org.measureflow.examples.cli.ExitStatus;
import org.measureflow.examples.cli.StrictParsing;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code mflow} command line: {@code mflow --help}, {@code mflow --version}, and one subcommand per task
 * ({@code mflow tour} runs every demo). Exit status: 0 on success, 1 when a command fails, 2 on bad usage
 * (unknown subcommand or option, missing subcommand).
 */
@Command(name = "mflow", mixinStandardHelpOptions = true, versionProvider = Mflow.Version.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "measureflow: flows of probability measures (optimal transport, flow matching, "
                + "Wasserstein gradient flows) in plain Java.",
        commandListHeading = "%nCommands:%n",
        footer = {"", ExitStatus.HELP, "",
            "Limits on the work a run may ask for are listed in each command's help. Give Java more memory with "
                    + "MFLOW_JAVA_OPTS=-Xmx8g ./mflow ...; MFLOW_DEBUG=1 or --debug prints the stack trace of an "
                    + "internal error."})
public final class Mflow implements Runnable {
    @Spec
    private CommandSpec spec;

    /** Use {@link #commandLine()}. */
    Mflow() {
    }

    /** Without a subcommand there is nothing to do: a usage error (exit status 2). */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand (try 'mflow tour')");
    }

    /** The command line with every subcommand, running the demos of {@link Demos#all()}. */
    public static CommandLine commandLine() {
        return commandLine(Demos.all());
    }

    /** The command line with every subcommand, {@code tour} running {@code demos}. */
    public static CommandLine commandLine(List<TourDemo> demos) {
        CommandLine cl = new CommandLine(new Mflow());
        cl.addSubcommand(new TourCommand(demos));
        cl.addSubcommand(new org.measureflow.examples.cli.OtCommand());
        cl.addSubcommand(new org.measureflow.examples.cli.FlowMatchCommand());
        cl.addSubcommand(new org.measureflow.examples.cli.GradientFlowCommand());
        cl.addSubcommand(new org.measureflow.examples.cli.TrajectoriesCommand());
        cl.addSubcommand(new org.measureflow.examples.cli.TransformerCommand());
        return StrictParsing.apply(cl);
    }

    /**
     * Entry point of {@code mflow.jar}. Forces headless AWT before any plotting class is loaded, runs the command
     * and exits with its status.
     */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        int status;
        try {
            status = commandLine().execute(args);
        } catch (Throwable t) {
            // nothing escapes the commands; this is the last guard of the one-line rule
            System.err.println("mflow: internal error: " + t.getClass().getSimpleName()
                    + (t.getMessage() == null ? "" : ": " + t.getMessage().replaceAll("\\s*\\R\\s*", " ")));
            status = ExitStatus.INTERNAL_ERROR;
        }
        System.exit(status);
    }

    /** The project version, from a resource filtered by Maven, and the Java runtime. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"mflow " + projectVersion(),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }

        /** The Maven project version, or {@code "unknown"} when the resource is missing. */
        static String projectVersion() {
            try (InputStream in = Mflow.class.getResourceAsStream("version.properties")) {
                if (in == null) {
                    return "unknown";
                }
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            } catch (IOException e) {
                return "unknown";
            }
        }
    }
}
