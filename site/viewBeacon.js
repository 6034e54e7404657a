/**
 * Reports one view of the article with navigator.sendBeacon('/views') once the reader can see it:
 * not while the page is prerendered (document.prerendering, until prerenderingchange) and not
 * while it is hidden (a background tab, until visibilitychange). At most once per page load.
 * No visitor id is sent: the gateway keys the reader by a daily-salted hash it never stores. The
 * view carries the referrer and the page's URL (the gateway keeps the source class, the referrer's
 * host and utm_campaign, README "Analytics jobs") and a random id of this page view, with which
 * the page reports, once, on pagehide, how long it was visible and how far the reader scrolled.
 */
export function reportViewWhenShown(slug, doc = document) {
  let sent = false;
  const viewId = newViewId();
  const attempt = () => {
    if (sent || doc.prerendering || doc.visibilityState === 'hidden') return;
    sent = true;
    doc.removeEventListener('prerenderingchange', attempt);
    doc.removeEventListener('visibilitychange', attempt);
    // The gateway reads 2,000 characters of each (a beacon's body is at most 6 kB).
    const referrer = doc.referrer ? doc.referrer.slice(0, 2000) : undefined;
    beacon({ slug, viewId, referrer, pageUrl: location.href.slice(0, 2000) });
    measureEngagement(viewId, doc);
  };
  doc.addEventListener('prerenderingchange', attempt);
  doc.addEventListener('visibilitychange', attempt);
  attempt();
}

/**
 * From the counted view on: seconds the page is visible (a background tab's time is not) and the
 * deepest scroll position, in per cent of the page; sent once, when the page is left (pagehide,
 * which also fires when it goes into the back-forward cache).
 */
function measureEngagement(viewId, doc) {
  let visibleMs = 0;
  let visibleSince = performance.now();
  let deepest = 0;
  const scrolled = () => {
    const page = doc.documentElement;
    const seen = (window.scrollY + window.innerHeight) / Math.max(page.scrollHeight, 1);
    deepest = Math.max(deepest, Math.min(100, Math.round(seen * 100)));
  };
  const visibility = () => {
    if (doc.visibilityState === 'hidden' && visibleSince !== null) {
      visibleMs += performance.now() - visibleSince;
      visibleSince = null;
    } else if (doc.visibilityState !== 'hidden' && visibleSince === null) {
      visibleSince = performance.now();
    }
  };
  const leave = () => {
    window.removeEventListener('pagehide', leave);
    window.removeEventListener('scroll', scrolled);
    doc.removeEventListener('visibilitychange', visibility);
    if (visibleSince !== null) visibleMs += performance.now() - visibleSince;
    beacon({ viewId, visibleSeconds: Math.round(visibleMs / 1000), scrollPercent: deepest });
  };
  scrolled();
  window.addEventListener('scroll', scrolled, { passive: true });
  doc.addEventListener('visibilitychange', visibility);
  window.addEventListener('pagehide', leave);
}

/** Sends a body to /views: sendBeacon (text/plain, no CORS preflight), else a keepalive fetch. */
function beacon(fields) {
  const body = JSON.stringify(fields);
  // sendBeacon returns false when the browser's beacon queue is full, and then a keepalive
  // fetch carries the same body.
  if (!navigator.sendBeacon('/views', body)) {
    fetch('/views', {
      method: 'POST',
      body,
      keepalive: true,
      headers: { 'content-type': 'text/plain' },
    });
  }
}

/** A random id of one page view: a UUID where the page is a secure context, else 128 random bits. */
function newViewId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), byte =>
    byte.toString(16).padStart(2, '0'),
  ).join('');
}
