/**
 * The dashboard: Backends (live), Requests (live), Faults and clock, State. One page, served by
 * the emulator at /_emulator/ui/, talking to it only through its public APIs.
 */
import { render } from 'preact';
import { useEffect } from 'preact/hooks';
import { watchBackends } from './backends-model.js';
import { refreshClock } from './clock.js';
import { ConfirmHost } from './components/ConfirmDialog.js';
import { KeyDialog } from './components/KeyDialog.js';
import { notice } from './notices.js';
import { usePoll } from './poll.js';
import { href, useRoute, type View } from './route.js';
import { useStore } from './store.js';
import { BackendsView } from './views/BackendsView.js';
import { FaultsView } from './views/FaultsView.js';
import { RequestsView } from './views/RequestsView.js';
import { StateView } from './views/StateView.js';
import './style.css';

const TABS: { view: View; label: string }[] = [
  { view: 'backends', label: 'Backends' },
  { view: 'requests', label: 'Requests' },
  { view: 'faults', label: 'Faults and clock' },
  { view: 'state', label: 'State' },
];

function Notice() {
  const n = useStore(notice);
  return (
    <p class="notice" role="status" aria-live="polite">
      {n.text}
    </p>
  );
}

function App() {
  const route = useRoute();
  // One watch for the whole page: the Backends table and each Backend's history follow it.
  useEffect(() => watchBackends('v1alpha2', ''), []);
  // Ages are counted on the emulator's clock.
  usePoll(() => refreshClock(), 5000, []);
  useEffect(() => {
    const label = TABS.find((t) => t.view === route.view)!.label;
    document.title = `${label}${route.item ? ` ${route.item}` : ''} · Apoxy emulator`;
  }, [route.view, route.item]);
  return (
    <>
      <a
        class="skip"
        href="#main"
        onClick={(e) => {
          // The fragment holds the route: move the focus without navigating.
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <header>
        <h1>Apoxy emulator</h1>
        <nav aria-label="Views">
          <ul>
            {TABS.map((t) => (
              <li key={t.view}>
                <a href={href(t.view)} aria-current={route.view === t.view ? 'page' : undefined}>
                  {t.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <Notice />
      </header>
      <main id="main" tabIndex={-1}>
        {route.view === 'backends' && <BackendsView selected={route.item} />}
        {route.view === 'requests' && <RequestsView selected={route.item} />}
        {route.view === 'faults' && <FaultsView />}
        {route.view === 'state' && <StateView />}
      </main>
      <ConfirmHost />
      <KeyDialog />
    </>
  );
}

render(<App />, document.getElementById('app')!);
