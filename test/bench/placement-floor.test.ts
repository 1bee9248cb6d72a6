import { describe, expect, it } from 'vitest';
import { placementFloor } from '../../bench/placement-floor.js';

// Small runs of the placement-floor benchmark: the replay must follow the recorded run exactly
// (the scenario throws when outputs or answers differ), and a search the policy never asks is an error.
describe('placement-floor scenario', () => {
  it.each([
    ['fifo+first-fit', 'firstFit'],
    ['fifo+best-fit', 'fitByFree'],
  ] as const)('replays %s searches to the same outputs', async (policy, search) => {
    const m = await placementFloor('floor', policy, search, 2_000, 50).run();
    expect(m.tasks).toBe(2_000);
    // every task asks at least once; tasks left waiting ask again
    expect(m.workload?.['searches']).toBeGreaterThanOrEqual(2_000);
    expect(m.workload?.['outputs_sha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(typeof m.workload?.['search_us_per_task']).toBe('number');
    expect(m.workload?.['searched_tasks_per_s']).toBeGreaterThan(0);
  });

  it('refuses a search the policy never asks', async () => {
    await expect(placementFloor('floor', 'fifo+first-fit', 'fitByFree', 500, 20).run()).rejects.toThrow(/never asked the view's fitByFree/);
  });
});
