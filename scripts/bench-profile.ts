/**
 * Where a request's time goes: a V8 CPU profile (`node --cpu-prof`) of the emulator under load,
 * summed by function (self time) and by origin (Node's HTTP stack, Express and its router, the
 * emulator's own code, garbage collection, the kernel's socket writes).
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  busyMs: number;
  top: { name: string; ms: number; share: number }[];
  origins: { origin: string; ms: number; share: number }[];
}

function originOf(url: string, fn: string): string {
  if (fn === '(garbage collector)') return 'garbage collection';
  if (fn === 'writev' || fn === 'writeUtf8String' || fn === 'writeLatin1String') return 'socket writes (kernel)';
  if (/node_modules\/(express|router|path-to-regexp|parseurl|finalhandler|on-finished|depd|debug)\//.test(url)) return 'Express and its router';
  if (/\/(dist\/)?(emulator|contracts)\//.test(url) && !url.includes('node_modules')) return 'emulator code';
  if (url.startsWith('node:') || url === '') return "Node's HTTP, net and streams (and natives)";
  return 'other libraries';
}

/** Self time by function and by origin, over the samples taken after `skipMs` (start-up). */
export function summarizeProfile(path: string, skipMs: number, top = 15): ProfileSummary {
  const p = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let clock = 0;
  for (let i = 0; i < p.samples.length; i++) {
    clock += p.timeDeltas[i] ?? 0;
    if (clock / 1000 < skipMs) continue;
    self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
  }
  const byName = new Map<string, number>();
  const byOrigin = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    busy += us;
    const file = url.replace(/^file:\/\//, '').split('/').slice(-2).join('/');
    const name = `${functionName || '(anonymous)'}${file ? ` ${file}:${lineNumber + 1}` : ''}`;
    byName.set(name, (byName.get(name) ?? 0) + us);
    const origin = originOf(url, functionName);
    byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + us);
  }
  const rank = <T extends string>(m: Map<T, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return {
    busyMs: busy / 1000,
    top: rank(byName).slice(0, top).map(([name, us]) => ({ name, ms: us / 1000, share: us / busy })),
    origins: rank(byOrigin).map(([origin, us]) => ({ origin, ms: us / 1000, share: us / busy })),
  };
}
