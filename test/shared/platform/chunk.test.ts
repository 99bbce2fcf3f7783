import { describe, expect, it } from 'vitest';
import { chunk } from '../../../shared/platform/helpers';

describe('chunk', () => {
  it('splits a list into slices of at most the given size, in order', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk(['a', 'b', 'c'], 3)).toEqual([['a', 'b', 'c']]);
    expect(chunk([], 25)).toEqual([]);
  });
});
