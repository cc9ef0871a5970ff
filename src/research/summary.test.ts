import { describe, expect, it } from 'vitest';
import type { Paper } from './atom-feed.js';
import { extractiveSummary, sentences } from './summary.js';

describe('extractive summaries', () => {
  it('splits sentences without cutting at abbreviations or decimals', () => {
    expect(
      sentences('Models, e.g. GPT-4, fail 3.5 times as often. We propose X. Results improve by 2.1%.'),
    ).toEqual(['Models, e.g. GPT-4, fail 3.5 times as often.', 'We propose X.', 'Results improve by 2.1%.']);
  });

  it('keeps the first sentence and the ones that say what was done and found, in order, verbatim', () => {
    const paper = {
      abstract:
        'Flaky tests waste time. Many causes exist. Some are timing. Others are order. ' +
        'We propose a detector based on reruns. It is cheap. Our results show 90% precision.',
    } as Paper;
    const summary = extractiveSummary(paper, 'no model is configured');
    expect(summary).toEqual({
      kind: 'extractive',
      reason: 'no model is configured',
      sentences: [
        'Flaky tests waste time.',
        'We propose a detector based on reruns.',
        'Our results show 90% precision.',
      ],
    });
  });
});
