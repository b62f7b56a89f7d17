import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICIES } from '../../../src/domain/escalation.js';
import { isBotError } from '../../../src/errors.js';
import { loadPolicies, parsePolicies } from '../../../src/policy/load-policies.js';

describe('escalation policy file', () => {
  it('ships a config/escalation.yaml equal to the built-in defaults', async () => {
    expect(await loadPolicies('config/escalation.yaml')).toEqual(DEFAULT_POLICIES);
  });

  it('overrides only the severities it names', () => {
    const p = parsePolicies('policies:\n  level4: { deadline: 30s, reminderBefore: 10s, nextContactEvery: 10s, alertAfter: 1m }\n', 'test.yaml');
    expect(p.level4).toEqual({ enabled: true, deadline: 30, reminderBefore: 10, nextContactEvery: 10, alertAfter: 60 });
    expect(p.level3).toEqual(DEFAULT_POLICIES.level3);
  });

  it('reports every problem with its path', () => {
    let error: unknown;
    try {
      parsePolicies('policies:\n  level4: { deadline: soon, nextContactEvery: 0s, alertAfter: 1h, extra: 1 }\n  level9: {}\n', 'bad.yaml');
    } catch (err) {
      error = err;
    }
    expect(isBotError(error, 'CONFIG.INVALID')).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('policies.level4.deadline');
    expect(message).toContain('policies.level4');
    expect(message).toContain('level9');
  });

  it('uses the defaults when no file is configured', async () => {
    expect(await loadPolicies(undefined)).toEqual(DEFAULT_POLICIES);
  });
});
