/**
 * How long a simulated server takes for a request, from the work it is:
 * prefill costs time per prompt token not already in the prefix cache (one
 * prompt at a time, see prefill-lane.ts), and each generated token costs a
 * decode step that grows with the number of requests in the batch
 * (continuous batching shares the GPU between them).
 */
export interface PerformanceProfile {
  prefillMsPerToken: number;
  /** A decode step with one request running. */
  decodeMsPerToken: number;
  /** Added to each decode step for every other request running. */
  decodeMsPerRunning: number;
}

export function prefillMs(profile: PerformanceProfile, uncachedTokens: number): number {
  return Math.max(0, uncachedTokens) * profile.prefillMsPerToken;
}

export function decodeMsPerToken(profile: PerformanceProfile, running: number): number {
  return profile.decodeMsPerToken + profile.decodeMsPerRunning * Math.max(0, running - 1);
}
