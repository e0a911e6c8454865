import { memo, useLayoutEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import { useWindowVirtualizer } from '@tanstack/react-virtual';
import type { GalleryItem } from './useGalleryItems';
import { useShownItems, type GalleryGroup } from './useShownItems';
import { Tile } from './Tile';
import { tilesResized } from './tilePainter';
import { assignSlots, rowsInPage } from './rowSlots';
import { ClassSummaryTable } from './ClassSummary';
import { useStore } from '../state/store';
import { useWidth } from './useWidth';
import { ConfusionMatrixView, FilterBar } from './Analysis';
import { ClassViews } from './ClassViews';
import { RegressionViews } from './RegressionViews';
import { FaithfulnessPanel } from './Faithfulness';
import { useScaleAhead } from './scaleAhead';
import { useThumbnailsAhead } from './thumbnailsAhead';

const TILE_MIN = 112;
const GAP = 8;
const CAPTION = 46;
/**
 * A data set this small or smaller (the demo's 300) has its gallery rendered whole; a larger one
 * keeps a screen of rows each way beyond the screen (never more than 500 tiles), filtered or not.
 * At 500, a confusion-matrix cell of ~450 of 1,000 photos put all its tiles in the page: ~4,300
 * layout objects laid out again and 450 canvases bound, 250–550 ms a click against ~60–110 for a
 * cell of a larger, virtualised gallery. Decided by the data set, not by the results so far: a run
 * of 1,000 drew its first 300 results whole, then threw those tiles away for virtualised rows.
 */
const TILE_BUDGET = 300;

type Row = { kind: 'header'; verdict: string; title: string; count: number } | { kind: 'tiles'; first: number; items: GalleryItem[] };
const rowKey = (row: Row) => (row.kind === 'header' ? `header:${row.verdict}` : `tiles:${row.first}`);

/** A header row for each group (incorrect, correct; or one sorted grid), then rows of `columns` tiles. */
function layout(groups: GalleryGroup[], columns: number): { rows: Row[]; rowOfTile: number[] } {
  const rows: Row[] = [];
  const rowOfTile: number[] = [];
  let index = 0;
  for (const g of groups) {
    rows.push({ kind: 'header', verdict: g.verdict, title: g.title, count: g.items.length });
    for (let i = 0; i < g.items.length; i += columns) {
      const items = g.items.slice(i, i + columns);
      for (let k = 0; k < items.length; k++) rowOfTile.push(rows.length);
      rows.push({ kind: 'tiles', first: index, items });
      index += items.length;
    }
  }
  return { rows, rowOfTile };
}

/** The grid's columns, and a tile's width, for a gallery `width` CSS pixels wide. */
function tilesAcross(width: number): { columns: number; tileSide: number } {
  const columns = Math.max(1, Math.floor((width + GAP) / (TILE_MIN + GAP)));
  return { columns, tileSide: (width - GAP * (columns - 1)) / columns };
}

/** The gallery: the analysis panels over the grid of tiles. */
export function Gallery() {
  const { all, groups, order: items } = useShownItems();
  useScaleAhead();
  useThumbnailsAhead(all, items);
  const kind = useStore((s) => s.model?.info.outputKind ?? 'classification');
  const correctCount = useMemo(() => all.filter((i) => i.prediction.verdict === 'correct').length, [all]);
  // in the page before the first result, so the tiles' size is known when a run starts: its photos'
  // thumbnails come with their results at that size (state/actions/run.ts). The grid is as wide:
  // measured there again, it started at a guess, and the tiles' size changing from that guess to
  // the real one dropped the thumbnails of the first results
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box, 0);
  // before the tiles' first paint (their binding paints in a microtask after this commit)
  useLayoutEffect(() => {
    if (width > 0) tilesResized(tilesAcross(width).tileSide);
  }, [width]);
  if (all.length === 0) return <div ref={box} className="gallery" />;
  const pct = ((correctCount / all.length) * 100).toFixed(1);
  return (
    <div ref={box} className="gallery">
      <p className="accuracy" data-testid="accuracy" data-correct={correctCount} data-total={all.length}>{correctCount} of {all.length} correct ({pct} %)</p>
      <ClassSummaryTable items={all} kind={kind} />
      {kind === 'classification' && <ConfusionMatrixView items={all} />}
      {kind === 'classification' && <ClassViews items={all} />}
      {kind === 'regression' && <RegressionViews items={all} />}
      <FaithfulnessPanel count={all.length} />
      <FilterBar items={all} shown={items.length} />
      <Grid groups={groups} items={items} width={width} />
    </div>
  );
}

/**
 * The grid, virtualised: only the rows near the screen are in the page (all of them when the
 * gallery is small), so 10,000 results cost what a few hundred do. A component of its own, so a
 * scroll re-renders the rows and not the panels above them. Arrow keys, Home and End move
 * between tiles, scrolling to tiles not yet in the page.
 */
const Grid = memo(function Grid({ groups, items, width }: { groups: GalleryGroup[]; items: GalleryItem[]; width: number }) {
  const list = useRef<HTMLDivElement>(null);
  const { columns, tileSide } = tilesAcross(width);
  const { rows, rowOfTile } = useMemo(() => layout(groups, columns), [groups, columns]);
  const small = useStore((s) => (s.dataset?.samples.length ?? 0) <= TILE_BUDGET);
  const overscan = small && items.length <= TILE_BUDGET ? rows.length : Math.ceil(innerHeight / (tileSide + CAPTION + GAP)) + 1;
  const virtualizer = useWindowVirtualizer({
    count: rows.length,
    estimateSize: (i) => (rows[i].kind === 'header' ? 44 : tileSide + CAPTION + GAP),
    // sizes kept by what the row is, not by its place: a filter or sort puts a row of tiles where a
    // header was, often in a slot's element of the same height, which the ResizeObserver never
    // reports again — by index, that row kept the header's height and overlapped the next one
    getItemKey: (i) => rowKey(rows[i]),
    // the rows a screen ahead each way are in the page and painted (tilePainter paints as far), so
    // a scroll of a screen finds its tiles ready; fewer tiles in the page make every change cheaper
    overscan,
    // never fewer rows in the page near the end of the gallery (rowSlots.ts: rowsInPage)
    rangeExtractor: (range) => rowsInPage(range, 3 * overscan),
    scrollMargin: list.current?.offsetTop ?? 0,
    // sizes from the ResizeObserver's entries only: reading a new row's offsetHeight as it is attached
    // forced a layout of the whole page each time (~2 ms a row, 0.3 s of a 1,000-photo run's page
    // thread); a new row counts as its estimate until its first entry comes, after that frame's layout
    measureElement: (el, entry, instance) => {
      const box = entry?.borderBoxSize?.[0];
      if (box) return Math.round(box.blockSize);
      const index = instance.indexFromElement(el);
      return instance.itemSizeCache.get(instance.options.getItemKey(index)) ?? instance.options.estimateSize(index);
    },
  });

  const onKeyDown = (e: KeyboardEvent) => {
    const from = Number((e.target as HTMLElement).dataset.tileIndex);
    if (!Number.isFinite(from)) return;
    const moves: Record<string, number> = { ArrowRight: from + 1, ArrowLeft: from - 1, ArrowDown: from + columns, ArrowUp: from - columns, Home: 0, End: items.length - 1 };
    if (!(e.key in moves)) return;
    e.preventDefault();
    const to = Math.min(Math.max(moves[e.key], 0), items.length - 1);
    virtualizer.scrollToIndex(rowOfTile[to], { align: 'auto' });
    focusTile(list.current, to);
  };

  const virtualRows = virtualizer.getVirtualItems();
  const slotOf = useRowSlots(virtualRows.map((v) => v.index));
  // a slot given another row is measured again (React calls a ref only when it is a new function)
  const measures = useRef(new Map<number, { index: number; ref: (el: HTMLDivElement | null) => void }>());
  const measureRow = (slot: number, index: number) => {
    let m = measures.current.get(slot);
    if (m?.index !== index) measures.current.set(slot, (m = { index, ref: (el) => virtualizer.measureElement(el) }));
    return m.ref;
  };
  return (
    <div ref={list} className="gallery-rows" style={{ height: virtualizer.getTotalSize() }} onKeyDown={onKeyDown} aria-label="Gallery: arrow keys move between images">
      {virtualRows.map((v) => {
        const row = rows[v.index];
        return (
          // keyed by a recycled slot, not the row: a row scrolled in reuses the elements (and the
          // canvases, with their 2D contexts) of one scrolled out, rather than building new ones
          <div key={slotOf.get(v.index)} data-index={v.index} ref={measureRow(slotOf.get(v.index)!, v.index)} className="gallery-row" style={{ transform: `translateY(${v.start - virtualizer.options.scrollMargin}px)` }}>
            {row.kind === 'header' ? (
              <h2 className="gallery-section" data-testid={`gallery-${row.verdict}`} data-count={row.count}>
                {row.title} <span className="count">{row.count}</span>
              </h2>
            ) : (
              <div className="grid" style={{ gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` }}>
                {row.items.map(({ sample, prediction: p }, k) => (
                  // keyed by place, not by image: a filter or sort refills the same elements
                  <Tile key={k} index={row.first + k} sample={sample} verdict={p.verdict} predicted={p.predicted} confidence={'confidence' in p ? p.confidence : undefined} />
                ))}
              </div>
            )}
          </div>
        );
      })}
    </div>
  );
});

/** A slot for each row in the page, kept across renders (rowSlots.ts). */
function useRowSlots(indices: number[]): Map<number, number> {
  const slots = useRef(new Map<number, number>());
  slots.current = assignSlots(slots.current, indices);
  return slots.current;
}

/** Focuses tile `index` once its row is in the page (a scroll may have to render it first). */
function focusTile(root: HTMLElement | null, index: number, tries = 20) {
  const el = root?.querySelector<HTMLElement>(`[data-tile-index="${index}"]`);
  if (el) el.focus({ preventScroll: false });
  else if (tries > 0) requestAnimationFrame(() => focusTile(root, index, tries - 1));
}
