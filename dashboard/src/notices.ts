/** The latest outcome of an action (applied, deleted, seeded, ...), shown in one status line. */
import { Store } from './store.js';

export const notice = new Store<{ text: string; at: number }>({ text: '', at: 0 });

export function notify(text: string): void {
  notice.set({ text, at: Date.now() });
}
