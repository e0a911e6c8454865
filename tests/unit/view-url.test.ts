// The view in the address's hash (results/viewUrl.ts): what goes in comes back; nothing else does.
import { describe, expect, it } from 'vitest';
import { decodeViewState, encodeViewState } from '../../src/results/viewUrl';
import { DEFAULT_VIEW } from '../../src/results/view';

describe('view state in the URL hash', () => {
  it('writes nothing for the defaults', () => {
    expect(encodeViewState({ view: DEFAULT_VIEW, filters: {}, sort: 'verdict' })).toBe('');
    expect(decodeViewState('')).toEqual({ view: {}, filters: {}, sort: undefined, selected: undefined });
  });

  it('round-trips settings, filters, order and the open sample, odd characters included', () => {
    const state = {
      view: { ...DEFAULT_VIEW, method: 'hirescam' as const, alpha: 0.65, colormap: 'viridis' as const, scope: 'dataset' as const, normalization: 'min-max' as const },
      filters: { verdict: 'incorrect' as const, trueLabel: 'bow tie & co #1', predicted: 'spoon', search: 'ä/b c', confidenceMin: 0.25, confidenceMax: 0.9, errorMin: 0.5, errorMax: 3, unfaithful: true },
      sort: 'confidence-desc' as const,
      selected: 'testing/bow tie#3.png',
    };
    const hash = encodeViewState(state);
    const back = decodeViewState(`#${hash}`);
    expect(back.view).toEqual({ method: 'hirescam', alpha: 0.65, colormap: 'viridis', scope: 'dataset', normalization: 'min-max' });
    expect(back.filters).toEqual(state.filters);
    expect(back.sort).toBe('confidence-desc');
    expect(back.selected).toBe(state.selected);
  });

  it('drops unknown names and out-of-range numbers', () => {
    const back = decodeViewState('#method=evil&alpha=7&cmap=<script>&norm=simple&cmin=-1&cmax=0.5&sort=random&pct=12&thr=-3');
    expect(back.view).toEqual({ normalization: 'simple' });
    expect(back.filters).toEqual({ confidenceMax: 0.5 });
    expect(back.sort).toBeUndefined();
  });
});
