import { discloseChildren } from './children-disclosure';
import { discloseRows } from './disclosure';
import { keyOf } from './trends';

describe('discloseChildren', () => {
  const rows = (counts: number[][]) =>
    counts.flatMap((row, i) =>
      row.map((count, j) => {
        const coordinates = [`p${i}`, `d${j}`];
        return { coordinates, key: keyOf(coordinates), count };
      }),
    );

  it('hides a cell whose case count is hidden, however many children, and protects it by a box', () => {
    // Cases: one cell of 3 (hidden); children there 9, above the threshold on its own.
    const raised = discloseRows(
      rows([
        [3, 20],
        [30, 40],
      ]),
      5,
    );
    const children = discloseChildren(
      rows([
        [9, 25],
        [31, 45],
      ]),
      raised,
      5,
    );
    const hidden = [...children.cells].filter(([, c]) => c.suppressed).map(([k]) => k);
    expect(hidden).toContain(keyOf(['p0', 'd0']));
    // Not alone: a lone hidden cell would be its row total less the rest.
    expect(hidden.length + [...children.sums.values()].filter((c) => c.suppressed).length).toBeGreaterThan(1);
  });

  it('shows the true counts where nothing is hidden', () => {
    const raised = discloseRows(rows([[10, 20]]), 5);
    const children = discloseChildren(rows([[12, 25]]), raised, 5);
    expect(children.cells.get(keyOf(['p0', 'd0']))).toEqual({ value: 12, suppressed: false, display: '12' });
    expect(children.sums.get(`sum:${keyOf(['p0', null])}`)).toEqual({
      value: 37,
      suppressed: false,
      display: '37',
    });
  });
});
