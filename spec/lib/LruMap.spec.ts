import { LruMap } from '../../lib/internal/LruMap';

describe('LruMap', () => {
  it('should drop the least recently used entry beyond its capacity, and say which', () => {
    const dropped: string[] = [];
    const map = new LruMap<string, number>(2, (key) => dropped.push(key));
    map.set('a', 1);
    map.set('b', 2);
    expect(map.get('a')).toBe(1);
    map.set('c', 3);
    expect(dropped).toEqual(['b']);
    expect(map.get('b')).toBeUndefined();
    expect([map.get('a'), map.get('c'), map.size]).toEqual([1, 3, 2]);
  });

  it('should count a hit on the newest entry as a use, and forget deleted entries', () => {
    const map = new LruMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    map.get('b');
    map.set('c', 3);
    expect(map.get('a')).toBeUndefined();
    expect(map.delete('b')).toBe(true);
    map.set('d', 4);
    expect([map.get('c'), map.get('d'), map.size]).toEqual([3, 4, 2]);
    map.clear();
    expect(map.size).toBe(0);
  });
});
