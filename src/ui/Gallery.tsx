import { useGalleryItems, type GalleryItem } from './useGalleryItems';
import { Tile } from './Tile';
import { ClassSummaryTable } from './ClassSummary';
import { useStore } from '../state/store';

function Section({ title, verdict, items }: { title: string; verdict: string; items: GalleryItem[] }) {
  return (
    <section className="gallery-section" data-testid={`gallery-${verdict}`} data-count={items.length}>
      <h2>
        {title} <span className="count">{items.length}</span>
      </h2>
      <div className="grid">
        {items.map(({ sample, prediction: p }) => <Tile key={sample.id} sample={sample} verdict={p.verdict} predicted={p.predicted} confidence={'confidence' in p ? p.confidence : undefined} />)}
      </div>
    </section>
  );
}

export function Gallery() {
  const items = useGalleryItems();
  const kind = useStore((s) => s.model?.info.outputKind ?? 'classification');
  if (items.length === 0) return null;
  const correct = items.filter((i) => i.prediction.verdict === 'correct');
  const incorrect = items.filter((i) => i.prediction.verdict === 'incorrect');
  const pct = ((correct.length / items.length) * 100).toFixed(1);
  return (
    <div className="gallery">
      <p className="accuracy" data-testid="accuracy">{correct.length} of {items.length} correct ({pct} %)</p>
      <ClassSummaryTable items={items} kind={kind} />
      <Section title="Incorrect" verdict="incorrect" items={incorrect} />
      <Section title="Correct" verdict="correct" items={correct} />
    </div>
  );
}
