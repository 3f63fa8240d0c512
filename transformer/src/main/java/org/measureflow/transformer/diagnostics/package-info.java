/**
 * Diagnostics of token dynamics (survey &sect;7; Geshkovski et al.): cluster counts, the minimum pairwise cosine,
 * the interaction energy whose gradient ascent is unnormalised attention on the sphere, and the log-partition
 * functional whose gradient is softmax attention when \( V = Q^\top K \).
 */
package org.measureflow.transformer.diagnostics;
