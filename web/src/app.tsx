import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { apiKey, setApiKey } from './api';
import { CostsPage } from './pages/costs-page';
import { FleetPage } from './pages/fleet-page';
import { LiveSwarm } from './pages/live-swarm';
import { RunPage } from './pages/run-page';
import { StartPage } from './pages/start-page';

type Route =
  | { page: 'swarm' }
  | { page: 'run'; runId: string }
  | { page: 'costs' }
  | { page: 'fleet' }
  | { page: 'start' };

function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  const run = /^\/runs\/([\w-]+)$/.exec(path);
  if (run) return { page: 'run', runId: run[1]! };
  if (path === '/costs') return { page: 'costs' };
  if (path === '/fleet') return { page: 'fleet' };
  if (path === '/start') return { page: 'start' };
  return { page: 'swarm' };
}

const NAV = [
  { href: '#/', label: 'Live swarm', page: 'swarm' },
  { href: '#/costs', label: 'Costs', page: 'costs' },
  { href: '#/fleet', label: 'Fleet', page: 'fleet' },
  { href: '#/start', label: 'Start', page: 'start' },
] as const;

export function App() {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  const initialRoute = useRef(route);
  const [needKey, setNeedKey] = useState(false);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    const onHash = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    // move focus to the new page's heading, as a page load would (not on the first load)
    if (route !== initialRoute.current) document.querySelector<HTMLElement>('main h1')?.focus();
  }, [route]);
  const onUnauthorized = useCallback(() => setNeedKey(true), []);
  const saveKey = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const key = String(new FormData(event.currentTarget).get('key') ?? '').trim();
    setApiKey(key || undefined);
    setNeedKey(false);
    setGeneration((g) => g + 1);
  };
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <a className="brand" href="#/">
          <span aria-hidden="true">◉</span> Swarm
        </a>
        <nav aria-label="main">
          <ul>
            {NAV.map((item) => (
              <li key={item.page}>
                <a href={item.href} aria-current={route.page === item.page ? 'page' : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <button type="button" className="small" onClick={() => setNeedKey(true)}>
          {apiKey() ? 'API key ✓' : 'API key'}
        </button>
      </header>
      {needKey && (
        <form className="card key-form" onSubmit={saveKey} aria-labelledby="key-title">
          <h2 id="key-title">API key</h2>
          <p>This server needs its API key. It is kept in this tab only (session storage).</p>
          <label>
            Key
            <input name="key" type="password" autoComplete="off" defaultValue={apiKey() ?? ''} />
          </label>
          <button type="submit" className="primary">
            Use this key
          </button>
          <button type="button" onClick={() => setNeedKey(false)}>
            Close
          </button>
        </form>
      )}
      <main id="main" key={generation}>
        {route.page === 'swarm' && <LiveSwarm onUnauthorized={onUnauthorized} />}
        {route.page === 'run' && (
          <RunPage key={route.runId} runId={route.runId} onUnauthorized={onUnauthorized} />
        )}
        {route.page === 'costs' && <CostsPage />}
        {route.page === 'fleet' && <FleetPage />}
        {route.page === 'start' && <StartPage />}
      </main>
    </>
  );
}
