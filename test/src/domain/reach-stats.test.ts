import { describe, expect, it } from 'vitest';
import { difference, percentOf, quantile } from '../../../src/domain/reach-stats.js';

describe('percentOf', () => {
  it('to one decimal, rounding half up; of nobody is 0', () => {
    expect(percentOf(1, 7)).toBe(14.3);
    expect(percentOf(2, 3)).toBe(66.7);
    expect(percentOf(1, 8)).toBe(12.5);
    expect(percentOf(1, 2000)).toBe(0.1);
    expect(percentOf(1, 2001)).toBe(0);
    expect(percentOf(3, 3)).toBe(100);
    expect(percentOf(0, 0)).toBe(0);
  });
});

describe('quantile (as Excel PERCENTILE.INC)', () => {
  it('interpolates between the nearest ranks', () => {
    const xs = [300, 600, 1200, 1800, 2700, 3300, 3900, 4200];
    expect(quantile(xs, 0.5)).toBe(2250);
    expect(quantile(xs, 0.9)).toBe(3990);
    expect(quantile(xs, 0)).toBe(300);
    expect(quantile(xs, 1)).toBe(4200);
  });

  it('sorts what it is given without changing it', () => {
    const xs = [30, 10, 20];
    expect(quantile(xs, 0.5)).toBe(20);
    expect(quantile(xs, 0.25)).toBe(15);
    expect(xs).toEqual([30, 10, 20]);
  });

  it('one value is every quantile; none is null; results to one decimal', () => {
    expect(quantile([42], 0.9)).toBe(42);
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([0, 1], 1 / 3)).toBe(0.3);
  });
});

describe('difference', () => {
  it('a − b to one decimal; null when either is missing', () => {
    expect(difference(66.7, 33.3)).toBe(33.4);
    expect(difference(10, 12.5)).toBe(-2.5);
    expect(difference(0.3, 0.1)).toBe(0.2);
    expect(difference(null, 1)).toBeNull();
    expect(difference(1, null)).toBeNull();
  });
});
