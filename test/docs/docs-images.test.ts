import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const DOCS = ['README.md', 'docs/portfolio_examples.md', 'docs/how-it-works.md'];
/** Screenshots stay small enough to keep the repository light (npm run docs:screenshots takes them at 1x). */
const MAX_IMAGE_BYTES = 400 * 1024;

/** Every local image a Markdown file shows: ![alt](path) and <img src="path">. */
function imagesOf(markdown: string): string[] {
  const found = [
    ...[...markdown.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((match) => match[1]!),
    ...[...markdown.matchAll(/<img[^>]+src="([^"]+)"/g)].map((match) => match[1]!),
  ];
  return found.filter((path) => !/^https?:/.test(path));
}

describe('documentation images', () => {
  it.each(DOCS)('%s shows only images that exist, as small PNGs', (doc) => {
    const images = imagesOf(readFileSync(join(root, doc), 'utf8'));
    for (const image of images) {
      const path = join(root, dirname(doc), image);
      expect(existsSync(path), `${doc} shows ${image}, which is missing: run npm run docs:screenshots`).toBe(true);
      expect(statSync(path).size, `${image} is over ${MAX_IMAGE_BYTES} bytes`).toBeLessThanOrEqual(MAX_IMAGE_BYTES);
      expect(readFileSync(path).subarray(1, 4).toString('latin1')).toBe('PNG');
    }
  });

  it('the tour shows every screenshot it names, the README at least one', () => {
    expect(imagesOf(readFileSync(join(root, 'docs/portfolio_examples.md'), 'utf8')).length).toBeGreaterThanOrEqual(10);
    expect(imagesOf(readFileSync(join(root, 'README.md'), 'utf8')).length).toBeGreaterThanOrEqual(1);
  });

  it('finds a missing image (the check can fail)', () => {
    expect(imagesOf('![x](images/nope.png) <img src="images/also.png" width="300"> ![y](https://e.x/a.png)')).toEqual([
      'images/nope.png',
      'images/also.png',
    ]);
  });
});
