// "A new version is ready": shown when a new build's service worker is waiting (offline/register.ts).
import { useEffect, useState } from 'react';
import { onUpdateReady, switchToNewBuild } from '../offline/register';

export function UpdatePrompt() {
  const [ready, setReady] = useState(false);
  useEffect(() => onUpdateReady(setReady), []);
  if (!ready) return null;
  return (
    <div className="message info" role="status" data-testid="update-ready">
      <span>A new version of this app is ready. Reload to use it (results in this page are kept in the browser and come back with the same files).</span>{' '}
      <button data-testid="update-reload" onClick={switchToNewBuild}>Reload</button>
    </div>
  );
}
