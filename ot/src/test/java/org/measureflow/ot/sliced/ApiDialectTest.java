package org.measureflow.ot.sliced;

import org.junit.jupiter.api.Test;
import org.measureflow.testing.ApiDialect;

/** The machine-checkable rules of {@code docs/api-dialect.md} over the public types of this package. */
class ApiDialectTest {
    @Test
    void publicTypesFollowTheDialect() {
        ApiDialect.assertFollowed("org.measureflow.ot.sliced");
    }
}
