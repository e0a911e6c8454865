// Messages to the user (errors, warnings, notes); each can be dismissed.
import { useStore, type Message } from '../store';

let nextMessage = 1;

export function say(kind: Message['kind'], text: string) {
  useStore.setState((s) => ({ messages: [...s.messages, { id: nextMessage++, kind, text }] }));
}

export function dismiss(id: number) {
  useStore.setState((s) => ({ messages: s.messages.filter((m) => m.id !== id) }));
}
