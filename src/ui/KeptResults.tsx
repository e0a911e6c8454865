// Results kept in this browser from an earlier visit: what they are, how to carry on, how to forget them.
import { useStore } from '../state/store';
import { forgetKeptResults } from '../state/actions/keptRun';

export function KeptResults() {
  const kept = useStore((s) => s.savedRun);
  if (!kept) return null;
  const when = new Date(kept.savedAt).toLocaleString();
  return (
    <div className="message info" role="status" data-testid="kept-results" data-done={kept.done} data-total={kept.total}>
      <span>
        Kept in this browser from your last visit ({when}): {kept.done} of {kept.total} images of {kept.dataset} explained by {kept.model}
        {kept.finished ? '' : ' (the run was interrupted)'}. Load the same model and data set to {kept.finished ? 'see them again' : 'carry on from there'} without
        recomputing them; loading other files replaces them.
      </span>{' '}
      <button data-testid="forget-kept-results" onClick={() => void forgetKeptResults()}>Forget them</button>
    </div>
  );
}
