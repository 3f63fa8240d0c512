package org.measureflow.ot;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.measureflow.testing.ApiDialect;

/**
 * The machine-checkable rules of {@code docs/api-dialect.md} hold for every public type of the top-level package
 * {@code org.measureflow.ot} (its sub-packages have their own tests).
 */
class ApiDialectTest {
    @Test
    void publicTypesOfTheTopLevelPackageFollowTheDialect() {
        List<Class<?>> types = ApiDialect.publicTypes(Path.of("target", "classes"), "org.measureflow.ot").stream()
                .filter(c -> c.getPackageName().equals("org.measureflow.ot")).toList();
        assertTrue(types.size() >= 5, "found " + types);
        List<String> violations = ApiDialect.violations(types);
        assertTrue(violations.isEmpty(), violations.size() + " violation(s) of docs/api-dialect.md:\n  "
                + String.join("\n  ", violations));
    }
}
