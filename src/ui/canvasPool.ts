/**
 * Tile canvases kept when their tiles leave the page, for the next tiles to take. A canvas new to
 * the page costs Chromium ~1 ms in the frame that first shows it (a new shared bitmap for the
 * compositor, and a wait on the GPU process for it; software compositing, this machine); one put
 * back keeps its bitmap and costs ~0.05 ms. A filter cleared put ~100 new tiles in the page:
 * measured, 72 canvases shown again took the frame ~12 ms, 72 new ones ~37 ms.
 */
const pool: HTMLCanvasElement[] = [];
/** More than the gallery ever shows at once (its whole-gallery budget, 300): a bound, not a target. */
const KEPT = 400;

/** A canvas for a tile: one a tile gave back if any, else a new one. */
export function takeCanvas(): HTMLCanvasElement {
  const canvas = pool.pop();
  if (canvas) {
    // another tile's pixels and stamp: a tile of another image hides them until it paints (tilePainter's bindTile)
    delete canvas.dataset.painted;
    return canvas;
  }
  const made = document.createElement('canvas');
  made.width = made.height = 1;
  return made;
}

/** A tile left the page: its canvas leaves it too, and waits for the next tile. */
export function giveBackCanvas(canvas: HTMLCanvasElement): void {
  canvas.remove();
  if (pool.length < KEPT) pool.push(canvas);
}
