package org.measureflow.gradientflow;

import org.junit.jupiter.api.Test;
import org.measureflow.testing.ApiDialect;

/** The machine-checkable rules of {@code docs/api-dialect.md} over every public type of the module. */
class ApiDialectTest {
    @Test
    void theModuleFollowsTheApiDialect() {
        ApiDialect.assertFollowed("org.measureflow.gradientflow");
    }
}
