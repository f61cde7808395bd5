import { foldDeepObjects } from './deep-object-query';

describe('foldDeepObjects', () => {
  it('gathers name[key]=value keys into one object, leaving every other key as it is', () => {
    expect(foldDeepObjects({ 'metadata[plan]': 'gold', 'metadata[tier]': '2', limit: '5' })).toEqual({ metadata: { plan: 'gold', tier: '2' }, limit: '5' });
  });

  it('keeps a repeated key as the list the parser made of it, for the schema to refuse', () => {
    expect(foldDeepObjects({ 'metadata[a]': ['1', '2'] })).toEqual({ metadata: { a: ['1', '2'] } });
  });

  it('leaves bracketed keys alone when the name is also given plainly, or the key is nested or __proto__', () => {
    expect(foldDeepObjects({ metadata: 'x', 'metadata[a]': '1' })).toEqual({ metadata: 'x', 'metadata[a]': '1' });
    expect(foldDeepObjects({ 'metadata[a][b]': '1', 'metadata[__proto__]': '1' })).toEqual({ 'metadata[a][b]': '1', 'metadata[__proto__]': '1' });
  });

  it('defines keys as own properties, so none reaches a prototype', () => {
    const folded = foldDeepObjects(JSON.parse('{"__proto__": "x", "m[constructor]": "y"}'));
    expect(Object.keys(folded)).toEqual(['__proto__', 'm']);
    expect(Object.getPrototypeOf(folded)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(folded.m, 'constructor')?.value).toBe('y');
  });
});
