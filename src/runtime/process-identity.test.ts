import { describe, expect, it } from 'vitest';
import { machineKey, pidRuns } from './process-identity.js';

describe('process identity', () => {
  it('tells running pids from gone ones', () => {
    expect(pidRuns(process.pid)).toBe(true);
    expect(pidRuns(2 ** 22 + 12345)).toBe(false);
  });

  it('gives this machine one stable key', () => {
    expect(machineKey()).not.toBe('');
    expect(machineKey()).toBe(machineKey());
  });
});
