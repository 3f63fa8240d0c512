/**
 * Test support shared by every module through {@code measureflow-core}'s test-jar: fixed seeds and a property
 * runner that names the failing seed ({@link org.measureflow.testing.Seeds}, {@link org.measureflow.testing.Property}),
 * seeded generators of random inputs ({@link org.measureflow.testing.RandomInputs}), and the seeded API fuzz test of
 * the hostile-input rule: generators of hostile values ({@link org.measureflow.testing.Hostile}) and the runner that
 * checks every call ends in a well-named {@code IllegalArgumentException} or in finite numbers
 * ({@link org.measureflow.testing.ApiFuzz}). Not jqwik: see DESIGN.md.
 */
package org.measureflow.testing;
