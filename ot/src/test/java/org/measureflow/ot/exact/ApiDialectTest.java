package org.measureflow.ot.exact;

import org.junit.jupiter.api.Test;
import org.measureflow.testing.ApiDialect;

/** The machine-checkable rules of {@code docs/api-dialect.md} over the public types of this package. */
class ApiDialectTest {
    @Test
    void publicTypesFollowTheDialect() {
        ApiDialect.assertFollowed("org.measureflow.ot.exact");
    }
}
