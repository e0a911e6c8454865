// Sanity checks (Adebayo et al. 2018) on request: for each method, how much its maps change when
// the model's top layers are re-initialised and when another class is explained.
import { useStore } from '../state/store';
import { runSanityChecks } from '../state/actions/sanity';
import { readSanity, SANITY_IMAGES, SANITY_STAGES } from '../results/sanity';
import { mapKey, methodLabel, METHODS } from '../methods/registry';

export function SanityChecks() {
  const sanity = useStore((s) => s.sanity);
  const pooling = useStore((s) => s.view.pooling);
  const ready = useStore((s) => s.run.status === 'done' || s.run.status === 'cancelled');
  const r = sanity.report;
  const running = sanity.status === 'running';
  const rows = r ? METHODS.filter((m) => r.model[mapKey(m.id, pooling)]) : [];
  return (
    <div className="sanity">
      <h3>Sanity checks</h3>
      <p className="hint">
        Does a method's map depend on what the model learned, and on the class asked about? The {SANITY_STAGES} layers with weights nearest the output are re-initialised one after the other, and a random other class is explained, on {SANITY_IMAGES} of the images. Each figure is the mean rank correlation with the trained model's map of the predicted class: 1 = the same map, 0 = unrelated. A map that barely changes with random weights does not show what the model uses (Adebayo et al., 2018).
      </p>
      <button data-testid="sanity-button" disabled={running || !ready} onClick={runSanityChecks}>
        {r ? 'Run the sanity checks again' : 'Run the sanity checks'}
      </button>
      {running && <span data-testid="sanity-progress"> checking {SANITY_IMAGES} images…</span>}
      {r && (
        <table data-testid="sanity-table">
          <caption>{r.images} images · re-initialised, from the output down: {r.layers.join(', then ')}{r.maps && (r.maps.layers.length > 1 || r.maps.smooth) ? ` · maps ${r.maps.layers.length > 1 ? `fused from ${r.maps.layers.join(' + ')} (${r.maps.fusion})` : `of ${r.maps.layers[0]}`}${r.maps.smooth ? `, ${r.maps.smooth}-smooth` : ''}` : ''}</caption>
          <thead>
            <tr>
              <th scope="col">method</th>
              {r.layers.map((l, k) => <th scope="col" key={l}>{k === 0 ? `random ${l}` : `+ ${l}`}</th>)}
              <th scope="col">another class</th>
              <th scope="col">reading</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((m) => {
              const { model, anotherClass: other, flags: flagList, reading } = readSanity(r, mapKey(m.id, pooling), m.classSensitive)!;
              const last = model[model.length - 1];
              const flags = flagList.join(' ');
              return (
                <tr key={m.id} data-testid="sanity-row" data-method={m.id} data-model-rho={last} data-class-rho={other} data-flag={flags}>
                  <th scope="row">{methodLabel(m)}</th>
                  {model.map((rho, k) => <td key={k}>{rho.toFixed(2)}</td>)}
                  <td>{other === undefined ? '—' : other.toFixed(2)}</td>
                  <td className={flags ? 'warn' : undefined}>{reading}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
