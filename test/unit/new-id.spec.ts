import { describe, expect, it } from 'vitest';
import { newId } from '../../src/common/new-id.js';

describe('newId', () => {
  it('makes distinct UUIDv7s, across many refills of its random pool, ordered by their millisecond', async () => {
    const first = Array.from({ length: 1000 }, newId);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const later = newId();
    expect(new Set([...first, later]).size).toBe(1001);
    for (const id of first) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(first.every((id) => id.slice(0, 13) < later.slice(0, 13))).toBe(true);
  });
});
