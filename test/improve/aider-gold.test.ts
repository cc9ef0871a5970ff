import { describe, expect, it } from 'vitest';
import { measureAgreement } from './aider-gold.js';

/**
 * Real model replies from Aider's transcripts against Aider's gold parse.
 * Measured on the fixtures (Aider commit 5dc9490): 577 of 577 edit blocks identical (path,
 * SEARCH and REPLACE), 22 of 22 shell blocks, 33 of 33 refused sections, no
 * extra blocks. The test holds the parser to that level.
 */
describe('SEARCH/REPLACE parser against the Aider gold', () => {
  it('reproduces every gold block and refusal, and finds nothing the gold does not', () => {
    const agreement = measureAgreement();
    console.log(
      `aider gold agreement: ${agreement.identicalEdits}/${agreement.goldEdits} edit blocks, ` +
        `${agreement.identicalShell}/${agreement.goldShell} shell blocks, ` +
        `${agreement.agreedErrors}/${agreement.goldErrors} refusals, ${agreement.extraEdits} extra`,
    );
    expect(agreement.goldEdits).toBeGreaterThan(500);
    expect(agreement.identicalEdits / agreement.goldEdits).toBe(1);
    expect(agreement.identicalShell).toBe(agreement.goldShell);
    expect(agreement.agreedErrors).toBe(agreement.goldErrors);
    expect(agreement.extraEdits).toBe(0);
    expect(agreement.differing).toEqual([]);
  });
});
