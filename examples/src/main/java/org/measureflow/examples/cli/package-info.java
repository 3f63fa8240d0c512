/**
 * The {@code mflow} subcommands that run the library on the user's own CSV files: reading points (one per row,
 * optional header, optional weight column) with one-line error messages, and the commands themselves.
 */
package org.measureflow.examples.cli;
