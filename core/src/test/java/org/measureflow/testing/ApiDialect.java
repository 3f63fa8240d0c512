package org.measureflow.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.measureflow.core.iteration.IterationObserver;
import org.measureflow.core.iteration.IterativeResult;

/**
 * The parts of the API dialect ({@code docs/api-dialect.md}) that a machine can check, run over every public type
 * that a module compiles into {@code target/classes}:
 * <ol>
 * <li>classes have no public constructors (records, enums and exceptions excepted): configured objects are made by
 *     {@code withDefaults()} or {@code of(...)};</li>
 * <li>no options objects or builders: no public nested type named {@code Options}, {@code Builder},
 *     {@code Config} or {@code Settings}, and no public method named {@code options}, {@code builder},
 *     {@code build}, {@code solver}, {@code trainer}, {@code optionsUsed} or {@code settings};</li>
 * <li>no {@code getX()} or {@code setX(...)} methods;</li>
 * <li>every public wither {@code withX(...)} returns its own type and has the accessor {@code x()};</li>
 * <li>every public record and every public class with instance state overrides {@code toString()} (records are
 *     checked in their class file: the implicit {@code toString} leaves an {@code ObjectMethods} call site);</li>
 * <li>results: a type with {@code iterations()} or {@code converged()} implements {@link IterativeResult}; records
 *     that implement it, and every type whose name ends in {@code Result}, are records named {@code ...Result};</li>
 * <li>iteration counts are {@code long}: {@code iterations()}, {@code maxIterations()} and
 *     {@code withMaxIterations(...)};</li>
 * <li>every public method that returns an {@link IterativeResult} has an overload whose last parameter is an
 *     {@link IterationObserver};</li>
 * <li>randomness is a {@code RandomGenerator} argument: no public method takes a {@link Random} or
 *     {@link SplittableRandom}, and no configured object has a {@code seed}.</li>
 * </ol>
 */
public final class ApiDialect {
    private static final Set<String> FORBIDDEN_TYPE_NAMES = Set.of("Options", "Builder", "Config", "Settings");
    private static final Set<String> FORBIDDEN_METHOD_NAMES = Set.of("options", "builder", "build", "solver",
            "trainer", "optionsUsed", "settings", "seed", "withSeed", "getOptions");

    private ApiDialect() {
    }

    /**
     * Checks every public type of the module whose classes are in {@code target/classes} (relative to the working
     * directory, the module's folder under Maven) and whose package starts with {@code packagePrefix}; fails with
     * the list of every violation found.
     *
     * @param packagePrefix e.g. {@code "org.measureflow.ot"}
     */
    public static void assertFollowed(String packagePrefix) {
        List<Class<?>> types = publicTypes(Path.of("target", "classes"), packagePrefix);
        assertTrue(types.size() > 0, "no public types found under target/classes for " + packagePrefix);
        List<String> violations = violations(types);
        if (!violations.isEmpty()) {
            fail(violations.size() + " violation(s) of docs/api-dialect.md:\n  " + String.join("\n  ", violations));
        }
    }

    /** The violations of the machine-checkable rules among {@code types}, one line each. */
    public static List<String> violations(List<Class<?>> types) {
        List<String> out = new ArrayList<>();
        for (Class<?> type : types) {
            checkType(type, out);
        }
        return out;
    }

    /** The public types (top-level and nested, all enclosing types public) compiled under {@code classes}. */
    public static List<Class<?>> publicTypes(Path classes, String packagePrefix) {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(classes)) {
            files.filter(p -> p.toString().endsWith(".class")).forEach(p -> {
                String rel = classes.relativize(p).toString().replace('\\', '/');
                String name = rel.substring(0, rel.length() - ".class".length()).replace('/', '.');
                if (name.startsWith(packagePrefix) && !name.endsWith("package-info")) {
                    names.add(name);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Class<?>> types = new ArrayList<>();
        ClassLoader loader = ApiDialect.class.getClassLoader();
        for (String name : names) {
            Class<?> c;
            try {
                c = Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                throw new IllegalStateException("cannot load " + name, e);
            }
            if (isPublicApi(c)) {
                types.add(c);
            }
        }
        return types;
    }

    private static boolean isPublicApi(Class<?> c) {
        if (c.isAnonymousClass() || c.isLocalClass() || c.isSynthetic()) {
            return false;
        }
        for (Class<?> k = c; k != null; k = k.getDeclaringClass()) {
            if (!Modifier.isPublic(k.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static void checkType(Class<?> type, List<String> out) {
        String name = type.getName();
        boolean exception = Throwable.class.isAssignableFrom(type);
        boolean plainClass = !type.isInterface() && !type.isEnum() && !type.isRecord() && !exception;
        if (plainClass) {
            for (Constructor<?> k : type.getConstructors()) {
                out.add(name + ": public constructor " + k + " (use withDefaults() or of(...))");
            }
        }
        if (FORBIDDEN_TYPE_NAMES.contains(type.getSimpleName()) && type.getDeclaringClass() != null) {
            out.add(name + ": a nested " + type.getSimpleName() + " type (configure the class itself with withers)");
        }
        if (type.getSimpleName().endsWith("Result") && !type.isRecord() && !type.isInterface()) {
            out.add(name + ": a ...Result type must be a record");
        }
        boolean iterative = IterativeResult.class.isAssignableFrom(type);
        if (iterative && type.isRecord() && !type.getSimpleName().endsWith("Result")) {
            out.add(name + ": implements IterativeResult, so its name must end in Result");
        }
        for (Method m : type.getDeclaredMethods()) {
            if (!Modifier.isPublic(m.getModifiers()) || m.isSynthetic() || m.isBridge()) {
                continue;
            }
            checkMethod(type, m, iterative, out);
        }
        if ((type.isRecord() && implicitToString(type))
                || (plainClass && hasInstanceState(type) && !declares(type, "toString"))) {
            out.add(name + ": does not override toString() (docs/api-dialect.md, section 7)");
        }
    }

    private static void checkMethod(Class<?> type, Method m, boolean iterative, List<String> out) {
        String where = type.getName() + "." + m.getName();
        String mn = m.getName();
        boolean instance = !Modifier.isStatic(m.getModifiers());
        if (FORBIDDEN_METHOD_NAMES.contains(mn)) {
            out.add(where + "(): the name '" + mn + "' is not in the dialect (no options objects, builders, seeds)");
        }
        if (isPrefixed(mn, "get") && m.getParameterCount() == 0) {
            out.add(where + "(): accessors have no 'get' prefix");
        }
        if (isPrefixed(mn, "set")) {
            out.add(where + "(...): no setters; configured objects are immutable (use withX)");
        }
        if (instance && isPrefixed(mn, "with") && !type.isInterface()) {
            if (m.getReturnType() != type) {
                out.add(where + "(...): a wither returns its own type " + type.getSimpleName() + ", not "
                        + m.getReturnType().getSimpleName());
            }
            String accessor = Character.toLowerCase(mn.charAt(4)) + mn.substring(5);
            if (!hasPublicNoArg(type, accessor)) {
                out.add(where + "(...): no accessor " + accessor + "() for this setting");
            }
        }
        if (instance && (mn.equals("iterations") || mn.equals("converged")) && m.getParameterCount() == 0
                && !IterativeResult.class.isAssignableFrom(type) && !type.getName().endsWith(".Convergence")) {
            out.add(where + "(): a type that reports iterations implements IterativeResult");
        }
        if ((mn.equals("iterations") || mn.equals("maxIterations")) && m.getParameterCount() == 0
                && m.getReturnType() != long.class) {
            out.add(where + "(): iteration counts are long, got " + m.getReturnType().getSimpleName());
        }
        if (mn.equals("withMaxIterations") && (m.getParameterCount() != 1 || m.getParameterTypes()[0] != long.class)) {
            out.add(where + "(...): iteration limits are long");
        }
        for (Class<?> p : m.getParameterTypes()) {
            if (p == Random.class || p == SplittableRandom.class) {
                out.add(where + "(...): takes a " + p.getSimpleName() + "; randomness is a RandomGenerator argument");
            }
        }
        if (IterativeResult.class.isAssignableFrom(m.getReturnType()) && !type.isRecord() && !iterative
                && !hasObserverOverload(type, m)) {
            out.add(where + "(...): returns an iterative result but has no overload taking an IterationObserver last");
        }
    }

    private static boolean isPrefixed(String name, String prefix) {
        return name.length() > prefix.length() && name.startsWith(prefix)
                && Character.isUpperCase(name.charAt(prefix.length()));
    }

    private static boolean hasPublicNoArg(Class<?> type, String name) {
        try {
            Method m = type.getMethod(name);
            return Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers());
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static boolean hasObserverOverload(Class<?> type, Method m) {
        for (Method other : type.getMethods()) {
            Class<?>[] p = other.getParameterTypes();
            if (other.getName().equals(m.getName()) && p.length > 0 && p[p.length - 1] == IterationObserver.class) {
                return true;
            }
        }
        return false;
    }

    private static boolean declares(Class<?> type, String method) {
        try {
            type.getDeclaredMethod(method);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static boolean hasInstanceState(Class<?> type) {
        for (java.lang.reflect.Field f : type.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a record keeps the implicit {@code toString()}: javac compiles it to an {@code ObjectMethods} call site
     * whose descriptor {@code (LRecord;)Ljava/lang/String;} then stands in the class file's constant pool.
     */
    private static boolean implicitToString(Class<?> record) {
        String resource = record.getName().replace('.', '/') + ".class";
        try (var in = record.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no class file for " + record.getName());
            }
            String bytes = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            String descriptor = "(L" + record.getName().replace('.', '/') + ";)Ljava/lang/String;";
            return bytes.contains(descriptor);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
