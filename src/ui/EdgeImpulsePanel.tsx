import { useState } from 'react';
import { useStore } from '../state/store';
import { cancelEdgeImpulse, DEFAULT_API_HOST, explainEdgeImpulseProject, rememberedKey, rememberKey } from '../state/actions/edgeImpulse';

/** Paste an API key, get the project's test set explained. The key stays in this page's memory. */
export function EdgeImpulsePanel() {
  const ei = useStore((s) => s.edgeImpulse);
  const [key, setKey] = useState(rememberedKey);
  const [remember, setRemember] = useState(() => rememberedKey() !== '');
  const [host, setHost] = useState(DEFAULT_API_HOST);
  const working = ei.status === 'working';
  const f = ei.facts;
  return (
    <form
      className="drop edge-impulse"
      onSubmit={(e) => {
        e.preventDefault();
        if (key.trim()) explainEdgeImpulseProject(host, key, remember);
      }}
    >
      <h2>Edge Impulse project</h2>
      <p className="hint">Paste a project API key: the app exports the project's data and downloads its trained model, then explains the test set.</p>
      <label>
        API key{' '}
        <input type="password" autoComplete="off" spellCheck={false} data-testid="ei-key-input" value={key} onChange={(e) => setKey(e.target.value)} placeholder="ei_…" size={36} />
      </label>{' '}
      <label title="Off by default: the key is kept in this page's memory only">
        <input type="checkbox" data-testid="ei-remember" checked={remember} onChange={(e) => { setRemember(e.target.checked); if (!e.target.checked) rememberKey('', false); }} /> remember on this device
      </label>
      <details>
        <summary>API host</summary>
        <input data-testid="ei-host-input" value={host} onChange={(e) => setHost(e.target.value)} size={36} />
      </details>
      <button className="primary" type="submit" data-testid="ei-connect-button" disabled={working || !key.trim()}>{ei.status === 'failed' ? 'Retry' : 'Explain project'}</button>{' '}
      {working && <button type="button" data-testid="ei-cancel-button" onClick={cancelEdgeImpulse}>Cancel</button>}
      {ei.step && <p className="hint" data-testid="ei-step">{ei.step}</p>}
      {f && (
        <dl className="summary model-facts" data-testid="ei-facts">
          <dt>Project</dt><dd>{f.projectName} (#{f.projectId}), key role {f.role}{ei.viaProxy ? ', via this server' : ''}</dd>
          <dt>Model</dt><dd>{f.learnBlock.title} ({f.learnBlock.type}), {f.mode}{f.mode === 'classification' ? `, ${f.classNames.length} classes` : ''}</dd>
          <dt>Images</dt><dd>{f.image.width}×{f.image.height}, {f.image.resizeMode} ({f.image.resizeMethod}), {f.channels}, scaled {f.imageInputScaling}</dd>
        </dl>
      )}
    </form>
  );
}
