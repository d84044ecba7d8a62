/**
 * The emulator's clock (`/_emulator/clock`), which every timestamp it writes reads: ages are
 * counted from it, not from this browser's clock, so a fixed or advanced clock shows true ages.
 */
import { useEffect, useState } from 'preact/hooks';
import { getJson } from './api.js';
import { Store } from './store.js';

export interface ClockState {
  now: string;
  fixed: boolean;
}

export const clock = new Store<{ state?: ClockState; readAt: number }>({ readAt: Date.now() });

export async function refreshClock(): Promise<void> {
  const state = await getJson<ClockState>('/_emulator/clock');
  clock.set({ state, readAt: Date.now() });
}

/** The emulator's time now, in ms: its last reading, moved on by the time since (unless fixed). */
export function emulatorNow(): number {
  const { state, readAt } = clock.get();
  if (!state) return Date.now();
  const at = Date.parse(state.now);
  return state.fixed ? at : at + (Date.now() - readAt);
}

/** Re-renders every `ms`, for ages and other times that move. */
export function useTick(ms: number): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setTick((n) => n + 1), ms);
    return () => clearInterval(t);
  }, [ms]);
  return tick;
}
