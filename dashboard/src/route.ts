/** The page's place, in the URL's fragment: #/backends, #/backends/<name>, #/requests/<id>, #/faults, #/state. */
import { useEffect, useState } from 'preact/hooks';

export type View = 'backends' | 'requests' | 'faults' | 'state';
const VIEWS: View[] = ['backends', 'requests', 'faults', 'state'];

export interface Route {
  view: View;
  /** The selected Backend's name or request's id. */
  item?: string;
}

export function parseRoute(hash: string): Route {
  const [view, item] = hash.replace(/^#\/?/, '').split('/');
  return { view: (VIEWS as string[]).includes(view) ? (view as View) : 'backends', item: item ? decodeURIComponent(item) : undefined };
}

export const href = (view: View, item?: string) => `#/${view}${item !== undefined ? `/${encodeURIComponent(item)}` : ''}`;

export function navigate(view: View, item?: string): void {
  location.hash = href(view, item);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(parseRoute(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}
