package org.measureflow.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterativeResult;
import org.measureflow.core.iteration.Termination;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.measure.ParticleMeasure;

/**
 * A seeded API fuzz test: many calls of a module's public entry points with {@link Hostile} inputs, each of which
 * must end in one of two ways (the project's rule for hostile input, CONTRIBUTING.md):
 * <ul>
 * <li>an {@link IllegalArgumentException} whose message starts with the name of one of the entry point's arguments
 *     (the names are listed with the entry point; a name is matched when the message starts with it followed by a
 *     character that cannot continue a Java name, e.g. {@code "x[3] must be finite"} names {@code x});</li>
 * <li>or a result in which every number is finite ({@link #assertFinite(Object)}: doubles, arrays, matrices,
 *     measures, lists and, recursively, record components), with an honest convergence record: a
 *     {@link Termination#CONVERGED} result has {@code error <= tolerance}.</li>
 * </ul>
 * Any other exception, a message that names no argument, or a non-finite number fails the test. All failures of a
 * run are collected and reported together, grouped by entry point and kind (the message with its numbers blanked),
 * each kind with its count and the seed of its first call (to rebuild it with
 * {@code Hostile.of(new SplittableRandom(seed))}).
 *
 * <pre>{@code
 * ApiFuzz.Summary s = ApiFuzz.run(Seeds.MASTER, 200, List.of(
 *         ApiFuzz.entry("OneDimensionalOt.cost", "x, y, a, b, p", h ->
 *                 OneDimensionalOt.cost(h.numbers(5), h.numbers(5), h.scalar(2)))));
 * }</pre>
 */
public final class ApiFuzz {
    /** The most kinds of failure listed in one report. */
    private static final int MAX_LISTED = 60;

    private ApiFuzz() {
    }

    /** The body of one call: draws its inputs from {@code h}, calls the entry point and returns its result. */
    @FunctionalInterface
    public interface Call {
        /** Makes one call; returns the result to check ({@code null} for a {@code void} method). */
        Object run(Hostile h) throws Exception;
    }

    /**
     * A public entry point under test.
     *
     * @param name       a label for reports, e.g. {@code "NetworkSimplex.solve(a, b, c)"}
     * @param arguments  the names an {@link IllegalArgumentException} may start with
     * @param call       the body of one call
     * @param documented an exception type other than {@link IllegalArgumentException} that the entry point documents
     *                   for runs that cannot go on (the ODE integrators' {@link IllegalStateException} on an
     *                   overflowing state), or {@code null}
     * @param infinite   paths of result numbers or arrays (as in {@link #assertFinite(Object)}'s messages, e.g.
     *                   {@code "result.costs"} or {@code "result[1]"}) whose documentation allows an infinity (a \( p \)-th power beyond
     *                   the double range, the entropy's first variation on an empty cell); never {@code NaN}
     * @param nan        paths of result numbers whose documentation gives {@code NaN} a meaning (e.g. "no blow-up
     *                   time"); never \( \pm\infty \)
     */
    public record EntryPoint(String name, Set<String> arguments, Call call, Class<? extends Throwable> documented,
                             Set<String> infinite, Set<String> nan) {
        /** This entry point, also allowed to end in its documented exception type {@code type}. */
        public EntryPoint allowing(Class<? extends Throwable> type) {
            return new EntryPoint(name, arguments, call, type, infinite, nan);
        }

        /** This entry point, whose results may hold an infinity at the documented {@code paths}. */
        public EntryPoint allowingInfinity(String... paths) {
            return new EntryPoint(name, arguments, call, documented, Set.of(paths), nan);
        }

        /** This entry point, whose results may hold {@code NaN} at the documented {@code paths}. */
        public EntryPoint allowingNaN(String... paths) {
            return new EntryPoint(name, arguments, call, documented, infinite, Set.of(paths));
        }
    }

    /**
     * One call of {@code entry} with the seed of a reported failure, for debugging: returns the result or lets the
     * exception through.
     */
    public static Object replay(EntryPoint entry, long seed) throws Exception {
        return entry.call().run(Hostile.of(new SplittableRandom(seed)));
    }

    /**
     * An entry point whose argument names are given as one comma-separated list, e.g. {@code "x, y, p"}.
     */
    public static EntryPoint entry(String name, String arguments, Call call) {
        Set<String> names = new java.util.LinkedHashSet<>();
        for (String a : arguments.split(",")) {
            if (!a.isBlank()) {
                names.add(a.strip());
            }
        }
        return new EntryPoint(name, names, call, null, Set.of(), Set.of());
    }

    /**
     * Counts of one run.
     *
     * @param calls    calls made
     * @param rejected calls that ended in a well-named {@link IllegalArgumentException} (or the entry point's documented
     *                 exception)
     * @param returned calls that returned finite results
     * @param perEntry for each entry point, {@code {rejected, returned}}
     */
    public record Summary(int calls, int rejected, int returned, Map<String, int[]> perEntry) {
        /** Entry points whose calls never returned (only rejections): their solver code was not reached. */
        public List<String> neverReturned() {
            List<String> out = new ArrayList<>();
            perEntry.forEach((k, v) -> {
                if (v[1] == 0) {
                    out.add(k);
                }
            });
            return out;
        }

        @Override
        public String toString() {
            return "ApiFuzz.Summary[calls=" + calls + ", rejected=" + rejected + ", returned=" + returned + ", "
                    + perEntry.size() + " entry points]";
        }
    }

    /**
     * Runs {@code callsPerEntry} calls of every entry point, the call {@code k} of entry {@code e} with the seed
     * derived from {@code seed}, the entry's name and {@code k}; fails with every failure found.
     *
     * @return the counts, for the caller to assert that the solvers were reached
     */
    public static Summary run(long seed, int callsPerEntry, List<EntryPoint> entries) {
        Map<String, String> failures = new LinkedHashMap<>(); // kind of failure -> first example
        Map<String, Integer> failureCounts = new LinkedHashMap<>();
        int failed = 0;
        Map<String, int[]> perEntry = new LinkedHashMap<>();
        int rejected = 0;
        int returned = 0;
        for (EntryPoint entry : entries) {
            int[] counts = new int[2];
            perEntry.put(entry.name(), counts);
            SplittableRandom seeds = new SplittableRandom(seed ^ (long) entry.name().hashCode() * 0x9E3779B97F4A7C15L);
            for (int k = 0; k < callsPerEntry; k++) {
                long callSeed = seeds.nextLong();
                String failure = callOnce(entry, callSeed, counts);
                if (failure != null) {
                    String kind = entry.name() + ": " + failure.replaceAll("[-0-9.E]+", "#");
                    failures.putIfAbsent(kind, entry.name() + " (seed " + callSeed + "L): " + failure);
                    failureCounts.merge(kind, 1, Integer::sum);
                    failed++;
                }
            }
            rejected += counts[0];
            returned += counts[1];
        }
        if (!failures.isEmpty()) {
            List<String> listed = new ArrayList<>();
            failures.forEach((kind, example) -> listed.add(failureCounts.get(kind) + " x " + example));
            fail(failed + " of " + (rejected + returned + failed) + " fuzz calls broke the hostile-input rule ("
                    + failures.size() + " kinds, one example each):\n  "
                    + String.join("\n  ", listed.subList(0, Math.min(MAX_LISTED, listed.size()))));
        }
        return new Summary(rejected + returned, rejected, returned, perEntry);
    }

    /**
     * {@link #run(long, int, List)} from {@link Seeds#MASTER}, printing the counts to the build log and asserting that
     * every entry point returned at least once (so that its solver, not only its checks, was reached), except the
     * entry points named in {@code onlyRejecting}, which exist to be rejected.
     *
     * @return the counts
     */
    public static Summary check(int callsPerEntry, List<EntryPoint> entries, String... onlyRejecting) {
        Summary summary = run(Seeds.MASTER, callsPerEntry, entries);
        System.out.println(summary);
        List<String> expected = List.of(onlyRejecting);
        if (!summary.neverReturned().equals(expected)) {
            fail("entry points that never reached their solver: " + summary.neverReturned() + ", expected "
                    + expected);
        }
        return summary;
    }

    /** One call; {@code null} when it ended well (and counted), otherwise what went wrong. */
    private static String callOnce(EntryPoint entry, long callSeed, int[] counts) {
        Object result;
        try {
            result = entry.call().run(Hostile.of(new SplittableRandom(callSeed)));
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            if (message == null || !namesAnArgument(message, entry.arguments())) {
                return "IllegalArgumentException names none of " + entry.arguments() + ": " + message;
            }
            counts[0]++;
            return null;
        } catch (Throwable e) {
            if (entry.documented() != null && entry.documented().isInstance(e)) {
                counts[0]++;
                return null;
            }
            StackTraceElement at = e.getStackTrace().length > 0 ? e.getStackTrace()[0] : null;
            return e.getClass().getSimpleName() + ": " + e.getMessage() + (at == null ? "" : " at " + at);
        }
        try {
            walk("result", result, new IdentityHashMap<>(), new Allowed(entry.infinite(), entry.nan()));
        } catch (AssertionError e) {
            return e.getMessage();
        }
        counts[1]++;
        return null;
    }

    /** Whether {@code message} starts with one of {@code names}, followed by a character that ends a name. */
    static boolean namesAnArgument(String message, Set<String> names) {
        for (String name : names) {
            if (message.startsWith(name) && (message.length() == name.length()
                    || !Character.isJavaIdentifierPart(message.charAt(name.length())))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Asserts that every number in {@code result} is finite and that every convergence record in it is honest
     * ({@code CONVERGED} implies {@code error <= tolerance}, both finite; any other ending has a finite or
     * {@code NaN} error and the documented {@code NaN} tolerance only without a tolerance). Walks doubles, arrays,
     * EJML matrices, {@link ParticleMeasure}, {@link GaussianMeasure}, {@link GridDensity}, collections,
     * optionals and record components (recursively); other objects are not inspected.
     *
     * @throws AssertionError naming the path of the first bad number, e.g. {@code "result.plan.masses[3] = NaN"}
     */
    public static void assertFinite(Object result) {
        walk("result", result, new IdentityHashMap<>(), new Allowed(Set.of(), Set.of()));
    }

    private static void walk(String path, Object value, IdentityHashMap<Object, Boolean> seen, Allowed allowed) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Enum<?>
                || value instanceof Integer || value instanceof Long) {
            return;
        }
        if (value instanceof Double v) {
            number(path, v, allowed);
            return;
        }
        if (seen.put(value, Boolean.TRUE) != null) {
            return;
        }
        if (value instanceof double[] a) {
            for (int i = 0; i < a.length; i++) {
                number(path + "[" + i + "]", a[i], allowed);
            }
        } else if (value instanceof Object[] a) {
            for (int i = 0; i < a.length; i++) {
                walk(path + "[" + i + "]", a[i], seen, allowed);
            }
        } else if (value instanceof DMatrixRMaj m) {
            for (int i = 0; i < m.getNumElements(); i++) {
                int cols = Math.max(1, m.numCols);
                number(path + "(" + i / cols + "," + i % cols + ")", m.data[i], allowed);
            }
        } else if (value instanceof ParticleMeasure p) {
            walk(path + ".points", p.flatPoints(), seen, allowed);
            walk(path + ".weights", p.weights(), seen, allowed);
        } else if (value instanceof GaussianMeasure g) {
            walk(path + ".mean", g.mean(), seen, allowed);
            walk(path + ".covariance", g.covariance(), seen, allowed);
            number(path + ".logDeterminant", g.logDeterminant(), allowed);
        } else if (value instanceof GridDensity g) {
            walk(path + ".values", g.values(), seen, allowed);
            number(path + ".mass", g.mass(), allowed);
            number(path + ".cellVolume", g.cellVolume(), allowed);
        } else if (value instanceof Convergence c) {
            convergence(path, c);
        } else if (value instanceof Collection<?> c) {
            int i = 0;
            for (Object o : c) {
                walk(path + "[" + i++ + "]", o, seen, allowed);
            }
        } else if (value instanceof Optional<?> o) {
            if (o.isPresent()) {
                walk(path + ".get", o.get(), seen, allowed);
            }
        } else if (value instanceof OptionalDouble o) {
            if (o.isPresent()) {
                number(path + ".getAsDouble", o.getAsDouble(), allowed);
            }
        } else if (value.getClass().isRecord()) {
            for (RecordComponent rc : value.getClass().getRecordComponents()) {
                walk(path + "." + rc.getName(), component(value, rc.getAccessor()), seen, allowed);
            }
        }
        if (value instanceof IterativeResult r && !value.getClass().isRecord()) {
            convergence(path + ".convergence", r.convergence());
        }
    }

    private static void convergence(String path, Convergence c) {
        if (c.termination() == Termination.CONVERGED) {
            number(path + ".error", c.error());
            number(path + ".tolerance", c.tolerance());
            if (!(c.error() <= c.tolerance())) {
                throw new AssertionError(path + " says CONVERGED but error " + c.error() + " > tolerance "
                        + c.tolerance());
            }
        } else {
            if (Double.isInfinite(c.error())) {
                throw new AssertionError(path + ".error = " + c.error() + " (" + c.termination() + ")");
            }
            if (Double.isInfinite(c.tolerance())) {
                throw new AssertionError(path + ".tolerance = " + c.tolerance());
            }
            if (c.termination() == Termination.COMPLETED && Double.isNaN(c.error())) {
                throw new AssertionError(path + " says COMPLETED with a NaN error (the run diverged?)");
            }
        }
    }

    private static Object component(Object record, Method accessor) {
        try {
            accessor.setAccessible(true);
            return accessor.invoke(record);
        } catch (InvocationTargetException e) {
            throw new AssertionError("reading " + accessor.getName() + " threw " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // not readable from here (a non-public record): not inspected
        }
    }

    private static void number(String path, double v) {
        if (!Double.isFinite(v)) {
            throw new AssertionError(path + " = " + v);
        }
    }

    /** The paths (without indices) where {@code +Infinity} or {@code NaN} is documented. */
    private record Allowed(Set<String> infinite, Set<String> nan) {
    }

    /** {@link #number(String, double)}, allowing what is documented at the path or an array it is in. */
    private static void number(String path, double v, Allowed allowed) {
        if (Double.isInfinite(v) && covered(path, allowed.infinite())
                || Double.isNaN(v) && covered(path, allowed.nan())) {
            return;
        }
        number(path, v);
    }

    /** Whether {@code path} is one of {@code paths} or an entry of one ({@code "result.costs[3]"}). */
    private static boolean covered(String path, Set<String> paths) {
        for (String p : paths) {
            if (path.equals(p) || path.startsWith(p + "[")) {
                return true;
            }
        }
        return false;
    }
}
