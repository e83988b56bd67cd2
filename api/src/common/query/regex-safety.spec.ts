import fc from 'fast-check';
import { MAX_REGEX_EXPANSION, MAX_REGEX_LENGTH, regexRefusal } from './regex-safety';

describe('regexRefusal', () => {
  it.each(['((a{50}){50}){50}', '(((a{100}){100}){100})', '(a{120}){120}', `${'a{255}'.repeat(100)}`, '(a{1,100}){100}', '((ab|cd){60}){60}'])(
    'refuses %s as too complex',
    (pattern) => {
      expect(regexRefusal(pattern)).toMatch(/too complex/);
      expect(regexRefusal(pattern, 'database')).toMatch(/too complex/);
    },
  );

  it.each(['^baseline', 'kunit\\.[a-z_]+$', '(a+)+', '\\w{255}', '^(?:checkout|kbuild)-[0-9]{1,4}$', '[[:alpha:]]'])('accepts %s', (pattern) => {
    expect(regexRefusal(pattern)).toBeNull();
  });

  it('refuses what JavaScript cannot compile, NUL and over-long patterns', () => {
    expect(regexRefusal('(')).toMatch(/Unterminated group/);
    expect(regexRefusal('a\0b')).toBe('embedded NUL character');
    expect(regexRefusal('a'.repeat(MAX_REGEX_LENGTH + 1))).toBe(`longer than ${MAX_REGEX_LENGTH} characters`);
  });

  it('leaves syntax to the database for database patterns, but still bounds their cost', () => {
    expect(regexRefusal('(?<', 'database')).toBeNull();
    expect(regexRefusal('(x{99}){99}', 'database')).toMatch(/too complex/);
  });

  it('refuses exactly the nested repetitions whose product exceeds the bound', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 4 }), (counts) => {
        const pattern = counts.reduce((inner, n) => `(${inner}{${n}})`, 'a');
        const product = counts.reduce((a, b) => a * b, 1);
        expect(regexRefusal(pattern) === null).toBe(product <= MAX_REGEX_EXPANSION);
      }),
      { seed: 11, numRuns: 300 },
    );
  });
});
