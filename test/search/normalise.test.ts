import { describe, expect, it } from 'vitest';
import { boundedEditDistance } from '../../src/search/edit-distance.js';
import { normaliseText, skeletonKey, skeletonToken, tokenize } from '../../src/search/normalise.js';

describe('normaliseText', () => {
  it('folds case, accents and diacritics', () => {
    expect(normaliseText('Bernard-Henri LÉVY')).toBe('bernard henri levy');
    expect(normaliseText('Panjshēr')).toBe('panjsher');
    expect(normaliseText('Straße Øresund')).toBe('strasse oresund');
  });

  it('turns hyphens, punctuation, emoji and control characters into single spaces', () => {
    expect(normaliseText('Pul-e-Hesar')).toBe('pul e hesar');
    expect(normaliseText('  who is   massoud?!\u0000🦁 ')).toBe('who is massoud');
  });

  it("drops apostrophes and a possessive 's", () => {
    expect(normaliseText("Massoud's father")).toBe('massoud father');
    expect(normaliseText('Massoud’s')).toBe('massoud');
    expect(normaliseText("Qur'an")).toBe('quran');
  });

  it('keeps native script and unifies Arabic/Persian letter variants', () => {
    expect(normaliseText('پنجشیر')).toBe('پنجشیر');
    // Arabic yeh and kaf are the Persian yeh and keheh: the same name typed on two keyboards.
    expect(normaliseText('\u0643\u0627\u0628\u0644')).toBe(normaliseText('\u06a9\u0627\u0628\u0644'));
    expect(normaliseText('\u0639\u0644\u064a')).toBe(normaliseText('\u0639\u0644\u06cc'));
  });

  it('gives an empty string for input with no letters or digits', () => {
    expect(normaliseText('  \t\n ')).toBe('');
    expect(normaliseText('🙂🙂')).toBe('');
    expect(tokenize('...')).toEqual([]);
  });
});

describe('skeletonToken: transliteration variants share one key', () => {
  const same = (a: string, b: string) => expect(skeletonToken(a), `${a} ~ ${b}`).toBe(skeletonToken(b));
  const different = (a: string, b: string) => expect(skeletonToken(a), `${a} ≁ ${b}`).not.toBe(skeletonToken(b));

  it('ou / o / u / oo', () => {
    same('massoud', 'masood');
    same('massoud', 'masud');
  });
  it('double letters', () => {
    same('massoud', 'masoud');
    same('amrullah', 'amrulah');
  });
  it('a / e / i vowel variance', () => {
    same('ahmad', 'ahmed');
    same('panjshir', 'panjsher');
    same('saleh', 'salih');
  });
  it('kh / k, gh / g, dh / d, sh / s, q / k, ck / k', () => {
    same('khalid', 'kalid');
    same('baghlan', 'baglan');
    same('dhaka', 'daka');
    same('panjshir', 'panjsir');
    same('qaeda', 'kaeda');
    same('bazarack', 'bazarak');
  });
  it('silent h after the first letter', () => {
    same('zabihullah', 'zabiullah');
    same('mujahid', 'mujaid');
  });
  it('y and w after the first letter as vowels', () => {
    same('nazary', 'nazari');
    same('dawud', 'daoud');
  });
  it('keeps consonants apart', () => {
    different('massoud', 'mahmoud');
    different('kabul', 'kunar');
  });
  it('leaves other scripts and digits alone', () => {
    expect(skeletonToken('پنجشیر')).toBe('پنجشیر');
    expect(skeletonToken('2001')).toBe('2001');
  });
});

describe('skeletonKey', () => {
  it('drops the Arabic article al- / el-', () => {
    expect(skeletonKey(normaliseText('al-Qaeda'))).toBe(skeletonKey(normaliseText('Qaida')));
    expect(skeletonKey(normaliseText('El Qaeda'))).toBe(skeletonKey(normaliseText('al Qaida')));
  });
});

describe('boundedEditDistance', () => {
  it('counts inserts, deletes, substitutions and swaps', () => {
    expect(boundedEditDistance('massod', 'massoud', 2)).toBe(1);
    expect(boundedEditDistance('panjshr', 'panjshir', 2)).toBe(1);
    expect(boundedEditDistance('bazraak', 'bazarak', 2)).toBe(1);
    expect(boundedEditDistance('kabul', 'kabul', 0)).toBe(0);
  });
  it('stops at the bound', () => {
    expect(boundedEditDistance('kabul', 'takhar', 1)).toBe(2);
    expect(boundedEditDistance('a', 'abcdef', 2)).toBe(3);
  });
});
