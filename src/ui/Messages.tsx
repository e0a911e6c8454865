import { useStore } from '../state/store';
import { dismiss } from '../state/actions/messages';

export function Messages() {
  const messages = useStore((s) => s.messages);
  if (messages.length === 0) return null;
  return (
    <section className="messages" aria-live="polite">
      {messages.map((m) => (
        <div key={m.id} className={`message ${m.kind}`} role={m.kind === 'error' ? 'alert' : 'status'} data-testid="message" data-kind={m.kind}>
          <span>{m.text}</span>
          <button aria-label="Dismiss" onClick={() => dismiss(m.id)}>×</button>
        </div>
      ))}
    </section>
  );
}
