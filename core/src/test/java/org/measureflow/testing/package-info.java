/**
 * Test support shared by every module through {@code measureflow-core}'s test-jar: fixed seeds and a property
 * runner that names the failing seed ({@link org.measureflow.testing.Seeds}, {@link org.measureflow.testing.Property}),
 * and seeded generators of random inputs ({@link org.measureflow.testing.RandomInputs}). Not jqwik: see DESIGN.md.
 */
package org.measureflow.testing;
