import { RowSpace } from './row-space';

describe('RowSpace', () => {
  it('tracks rank and membership exactly', () => {
    const space = new RowSpace(3);
    expect(space.add([1, 1, 0])).toBe(true);
    expect(space.add([0, 1, 1])).toBe(true);
    expect(space.add([1, 2, 1])).toBe(false);
    expect(space.rank).toBe(2);
    expect(space.contains([1, 0, -1])).toBe(true);
    expect(space.contains([1, 0, 0])).toBe(false);
    expect(space.add([1, 0, 1])).toBe(true);
    expect(space.contains([1, 0, 0])).toBe(true);
  });

  it('needs rational combinations (halves) and gets them right', () => {
    const space = new RowSpace(3);
    [
      [1, 1, 0],
      [0, 1, 1],
      [1, 0, 1],
    ].forEach((v) => space.add(v));
    // a = ((a+b) − (b+c) + (a+c)) / 2
    expect(space.contains([1, 0, 0])).toBe(true);
  });

  it('explains a member as a combination of the inputs, by label', () => {
    const space = new RowSpace(3, true);
    space.add([1, 1, 0], 10);
    space.add([0, 1, 1], 20);
    space.add([1, 0, 1], 30);
    const weights = space.explain([1, 0, 0]);
    // a = ((a+b) − (b+c) + (a+c)) / 2: weights proportional to 1, −1, 1
    expect(weights && [...weights.keys()].sort()).toEqual([10, 20, 30]);
    const w = weights as Map<number, bigint>;
    expect(w.get(10)).toBe(-(w.get(20) as bigint));
    expect(w.get(10)).toBe(w.get(30));
    expect(space.explain([0, 0, 0])?.size).toBe(0);
    expect(new RowSpace(2, true).explain([1, 0])).toBeUndefined();
  });

  it('stays exact past 2^53 by switching to bigint', () => {
    const big = 2 ** 40;
    const space = new RowSpace(2);
    space.add([big + 1, big]);
    expect(space.contains([big + 1, big])).toBe(true);
    expect(space.add([big, big - 1])).toBe(true);
    expect(space.contains([1, 0])).toBe(true);
    const line = new RowSpace(2);
    line.add([big + 1, big]);
    expect(line.contains([2 * big + 2, 2 * big])).toBe(true);
    expect(line.contains([big, big - 1])).toBe(false);
  });

  it('rejects vectors of the wrong width', () => {
    expect(() => new RowSpace(2).contains([1])).toThrow(RangeError);
  });
});
