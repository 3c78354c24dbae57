import { describe, expect, it } from 'vitest';
import { readAllPages } from './pages.js';

describe('readAllPages', () => {
  it('follows each next token in turn, keeps the order, and stops at an empty or absent token', async () => {
    const pages: Record<string, { items: number[]; nextPageToken?: string }> = {
      first: { items: [1, 2], nextPageToken: 'b' },
      b: { items: [3], nextPageToken: 'c' },
      c: { items: [4, 5], nextPageToken: '' },
    };
    const asked: (string | undefined)[] = [];
    const all = await readAllPages(async (token) => {
      asked.push(token);
      return pages[token ?? 'first']!;
    });
    expect(all).toEqual([1, 2, 3, 4, 5]);
    expect(asked).toEqual([undefined, 'b', 'c']);
    expect(await readAllPages(async () => ({ items: ['only'] }))).toEqual(['only']);
  });
});
