package org.measureflow.ot.sinkhorn;

import org.junit.jupiter.api.Test;
import org.measureflow.testing.ApiDialect;

/** The machine-checkable rules of {@code docs/api-dialect.md} hold for every public type of this package. */
class ApiDialectTest {
    @Test
    void publicTypesFollowTheDialect() {
        ApiDialect.assertFollowed("org.measureflow.ot.sinkhorn");
    }
}
