package org.measureflow.spark;

import org.junit.jupiter.api.Test;
import org.measureflow.testing.ApiDialect;

/** The public API of {@code spark} follows docs/api-dialect.md in every point a machine can check. */
class ApiDialectTest {
    @Test
    void publicApiFollowsTheDialect() {
        ApiDialect.assertFollowed("org.measureflow.spark");
    }
}
